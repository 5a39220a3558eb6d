from peers import services
from peers.models import Post


def test_member_shares_in_a_premoderated_circle_and_waits(robin):
    shared = services.share_post(member=robin, text="What helped me was a walk.")
    assert shared.waiting
    assert Post.objects.get().status == Post.Status.WAITING
