"""A member's circle pages cost the same however much the circle holds."""

from django.urls import reverse

from peers import services
from tests.queries import count_queries


def _fill(robin, sam, posts: int):
    for n in range(posts):
        post = services.share_post(member=robin, text=f"Reflection {n}.").contribution
        services.approve(contribution=post, trainer=None)
        reply = services.reply_to(post=post, member=sam, text="Thank you.").contribution
        services.approve(contribution=reply, trainer=None)
        services.set_acknowledgement(post=post, member=sam, kind="hear_you", on=True)
    return post


def test_the_circle_and_a_post_cost_the_same_with_2_posts_or_8(client, robin, sam):
    client.force_login(sam.learner)
    circle_url = reverse("peers:circle", args=[sam.circle_id])

    post = _fill(robin, sam, 2)
    client.get(circle_url)  # the site is found again after the course was built
    post_url = reverse("peers:post", args=[sam.circle_id, post.pk])
    small = [count_queries(client, circle_url), count_queries(client, post_url)]
    post = _fill(robin, sam, 6)
    post_url = reverse("peers:post", args=[sam.circle_id, post.pk])
    large = [count_queries(client, circle_url), count_queries(client, post_url)]

    # The user; the membership with its circle, cohort and course; the posts,
    # their replies, the member's reports and everyone's responses.
    assert small == large == [6, 6]
