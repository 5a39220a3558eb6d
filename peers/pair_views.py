"""Practice pairs, for their two members. (Being written: see the pairs helper.)"""

from django.http import Http404


def pairs(request, circle_id):
    raise Http404


def new_pair(request, circle_id):
    raise Http404


def pair(request, circle_id, pair_id):
    raise Http404
