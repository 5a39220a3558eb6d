"""A learner's practice circles (/learn/circles/) and reflections (/learn/reflect/).

Every address here answers 404 to anyone who is not a member of the circle
in it (or, for a pair, not one of the pair): nothing says whether it exists.
"""

from . import circle_urls, pair_urls, reflection_urls

app_name = "peers"

urlpatterns = [
    *circle_urls.urlpatterns,
    *pair_urls.urlpatterns,
    *reflection_urls.urlpatterns,
]
