"""Media and private PDFs in S3-compatible object storage, over real HTTP.

The production-stack run (scripts/stack.sh --s3) points S3_ENDPOINT_URL at its
moto server; elsewhere each test module starts moto's server on a free port.
"""

import secrets

import boto3
import pytest
import requests
from django.core.files.base import ContentFile
from storages.backends.s3 import S3Storage

from certificates.models import Certificate
from certificates.storage import PrivateS3Storage
from tests.certificates.issuing import certified, make_course

pytestmark = pytest.mark.django_db

EVERYONE = "http://acs.amazonaws.com/groups/global/AllUsers"


@pytest.fixture
def s3(s3_endpoint, monkeypatch):
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    client = boto3.client("s3", endpoint_url=s3_endpoint, region_name="us-east-1")
    return client


@pytest.fixture
def private_bucket(s3, s3_endpoint, settings, monkeypatch):
    """Certificate PDFs go to a fresh private bucket, as with S3_PRIVATE_BUCKET."""
    name = f"private-{secrets.token_hex(4)}"
    s3.create_bucket(Bucket=name)
    settings.S3_PRIVATE_BUCKET = name
    field = Certificate._meta.get_field("pdf")
    monkeypatch.setattr(field, "storage", PrivateS3Storage(endpoint_url=s3_endpoint))
    return name


def test_a_certificate_pdf_is_stored_privately_and_served_only_by_circles(
    client, course_index, s3, private_bucket
):
    certificate = certified(make_course(course_index))

    stored = s3.list_objects_v2(Bucket=private_bucket)["Contents"]
    assert [item["Key"] for item in stored] == [certificate.pdf.name]
    assert certificate.code not in certificate.pdf.name
    grants = s3.get_object_acl(Bucket=private_bucket, Key=certificate.pdf.name)
    assert all(grant["Grantee"].get("URI") != EVERYONE for grant in grants["Grants"])
    with pytest.raises(ValueError, match="no URL"):
        certificate.pdf.url  # noqa: B018

    client.force_login(certificate.learner)
    response = client.get(f"/learn/certificates/{certificate.display_code}/download/")
    assert response.status_code == 200
    body = b"".join(response.streaming_content)
    assert body.startswith(b"%PDF-")
    assert (
        body
        == s3.get_object(Bucket=private_bucket, Key=certificate.pdf.name)["Body"].read()
    )


def test_media_links_are_signed_and_short_lived(s3, s3_endpoint):
    bucket = f"media-{secrets.token_hex(4)}"
    s3.create_bucket(Bucket=bucket)
    storage = S3Storage(
        bucket_name=bucket, endpoint_url=s3_endpoint, querystring_expire=60
    )

    name = storage.save("images/lesson.txt", ContentFile(b"an uploaded file"))
    url = storage.url(name)

    assert "X-Amz-Signature=" in url
    assert "X-Amz-Expires=60" in url
    assert requests.get(url, timeout=10).content == b"an uploaded file"


def test_readiness_writes_and_reads_the_private_bucket(client, private_bucket, s3):
    response = client.get("/healthz/ready")

    assert "private storage: ok" in response.content.decode()
    assert s3.list_objects_v2(Bucket=private_bucket).get("KeyCount") == 0
