"""A member's circle: its posts, sharing, replies, responses and reports."""

from django.urls import path

from . import views

circle = "circles/<int:circle_id>/"
post = circle + "posts/<int:post_id>/"
reply = circle + "replies/<int:reply_id>/"

urlpatterns = [
    path(
        "circles/delete-what-i-wrote/",
        views.delete_my_writing,
        name="delete_my_writing",
    ),
    path(circle, views.circle, name="circle"),
    path(circle + "join/", views.join, name="join"),
    path(circle + "name/", views.member_settings, name="member_settings"),
    path(circle + "share/", views.share, name="share"),
    path(post, views.post, name="post"),
    path(post + "reply/", views.reply, name="reply"),
    path(post + "edit/", views.edit_post, name="edit_post"),
    path(post + "withdraw/", views.withdraw_post, name="withdraw_post"),
    path(post + "report/", views.report_post, name="report_post"),
    path(post + "acknowledge/", views.acknowledge, name="acknowledge"),
    path(reply + "edit/", views.edit_reply, name="edit_reply"),
    path(reply + "withdraw/", views.withdraw_reply, name="withdraw_reply"),
    path(reply + "report/", views.report_reply, name="report_reply"),
]
