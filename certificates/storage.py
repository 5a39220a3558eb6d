"""Private files (certificate PDFs, data exports) in an S3-compatible bucket.

Used instead of PrivateStorage when S3_PRIVATE_BUCKET is set. Objects are
written with a private ACL and have no URL at all: Circles streams them to the
people allowed to see them, exactly as it does from disk.
"""

from django.conf import settings
from storages.backends.s3 import S3Storage


class PrivateS3Storage(S3Storage):
    """A private bucket: no public ACL, no URL, names never reused."""

    def __init__(self, **options):
        super().__init__(
            **{
                "bucket_name": settings.S3_PRIVATE_BUCKET,
                "default_acl": "private",
                "querystring_auth": True,
                "file_overwrite": False,
                **options,
            }
        )

    def url(self, name, parameters=None, expire=None, http_method=None):
        raise ValueError("Private files have no URL; a view serves them.")
