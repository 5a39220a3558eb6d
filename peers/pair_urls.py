from django.urls import path

from . import pair_views

urlpatterns = [
    path("circles/<int:circle_id>/pairs/", pair_views.pairs, name="pairs"),
    path("circles/<int:circle_id>/pairs/new/", pair_views.new_pair, name="new_pair"),
    path("circles/<int:circle_id>/pairs/<int:pair_id>/", pair_views.pair, name="pair"),
]
