"""Put the site tree and the trainers' group in place; each step safe to repeat."""

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.utils.translation import gettext as _
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import (
    Collection,
    GroupCollectionPermission,
    GroupPagePermission,
    Locale,
    Page,
    Site,
)

from courses.models import CourseIndexPage

from .models import HomePage, SafetySettings

TRAINERS_GROUP = "Trainers"

HOME_BODY = [
    {
        "type": "section",
        "value": {
            "heading": "Learn to walk beside someone",
            "text": (
                "<p>Circles trains peer mentors: people who use their own experience "
                "to support others through recovery. The courses are free to take "
                "at your own pace, on a phone or a computer.</p>"
                "<p>You can sign up with any name you like. You can stop at any "
                "point and come back to the same place later.</p>"
            ),
        },
    },
    {"type": "courses", "value": {"heading": "Courses", "limit": 6}},
    {
        "type": "verification",
        "value": {
            "heading": "For organisations: check a certificate",
            "text": (
                "<p>Every Circles certificate has a code like "
                "<strong>ABCD-EFGH-JKMN</strong> and a QR code. Type the code on "
                "our checking page, scan the QR code, or ask our API. You will see "
                "whether the certificate is genuine and still valid. You will see "
                "only what the holder chose to print on it.</p>"
            ),
        },
    },
]

SUPPORT_CONTACTS = [
    {
        "type": "contact",
        "value": {
            "name": "Emergency services",
            "description": "If you or someone else is in danger now.",
            "phone": "911 (US) · 999 (UK) · 112 (EU)",
            "text": "",
            "website": "",
            "hours": "24/7",
        },
    },
    {
        "type": "contact",
        "value": {
            "name": "988 Suicide & Crisis Lifeline (US)",
            "description": "Free, private support from a trained counselor.",
            "phone": "988",
            "text": "Text 988",
            "website": "https://988lifeline.org/",
            "hours": "24/7",
        },
    },
    {
        "type": "contact",
        "value": {
            "name": "Samaritans (UK and Ireland)",
            "description": "Someone to listen, whatever you are going through.",
            "phone": "116 123",
            "text": "",
            "website": "https://www.samaritans.org/",
            "hours": "24/7",
        },
    },
    {
        "type": "contact",
        "value": {
            "name": "National Human Trafficking Hotline (US)",
            "description": "Confidential help and referrals, in many languages.",
            "phone": "1-888-373-7888",
            "text": "Text 233733",
            "website": "https://humantraffickinghotline.org/",
            "hours": "24/7",
        },
    },
    {
        "type": "contact",
        "value": {
            "name": "Modern Slavery & Exploitation Helpline (UK)",
            "description": "Confidential advice and support.",
            "phone": "08000 121 700",
            "text": "",
            "website": "https://www.modernslaveryhelpline.org/",
            "hours": "24/7",
        },
    },
]


@transaction.atomic
def ensure_home_page() -> HomePage:
    """Make a HomePage the default site's root, replacing Wagtail's welcome page."""
    home = HomePage.objects.first()
    if home is None:
        # A flushed database (transactional tests) has lost what migrations made.
        Locale.objects.get_or_create(
            language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE)
        )
        if Collection.get_first_root_node() is None:
            Collection.add_root(name="Root")
        root = Page.get_first_root_node() or Page.add_root(title="Root", slug="root")
        for page in root.get_children().filter(slug="home"):
            # Wagtail's placeholder "Welcome" page; its Site goes with it.
            if page.specific_class is Page and page.is_leaf():
                page.delete()
        home = HomePage(
            title="Welcome to Circles",
            slug="home",
            intro=(
                "Peer-mentor training that goes at your pace, with support "
                "whenever you need it."
            ),
            body=HOME_BODY,
        )
        root.add_child(instance=home)
        home.save_revision().publish()
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(
            hostname="localhost",
            port=80,
            root_page=home,
            is_default_site=True,
            site_name="Circles",
        )
    elif site.root_page_id != home.pk:
        site.root_page = home
        site.site_name = "Circles"
        site.save()
    return home


@transaction.atomic
def ensure_course_index(home: HomePage) -> CourseIndexPage:
    index = CourseIndexPage.objects.first()
    if index is None:
        index = CourseIndexPage(
            title="Courses",
            slug="courses",
            intro=(
                "Every course is free. Take them in any order, unless a course "
                "says what to finish first."
            ),
        )
        home.add_child(instance=index)
        index.save_revision().publish()
    return index


def ensure_support_settings() -> SafetySettings:
    safety = SafetySettings.load()
    if not safety.contacts:
        safety.support_intro = (
            "<p>You do not have to go through this alone. These services listen "
            "without judging. Calls to them are free.</p>"
        )
        safety.emergency_text = _(
            "If you are in danger now, call your local emergency number."
        )
        safety.contacts = SUPPORT_CONTACTS
        safety.save()
    return safety


TRAINER_MODEL_PERMISSIONS = [
    ("wagtailadmin", "access_admin"),
    ("courses", "add_cohort"),
    ("courses", "change_cohort"),
    ("courses", "view_cohort"),
    ("courses", "view_learner_progress"),
    ("courses", "change_learner_progress"),
    ("home", "change_safetysettings"),
    ("certificates", "view_certificate"),
    ("certificates", "change_certificate"),
    ("certificates", "add_certificatetemplate"),
    ("certificates", "change_certificatetemplate"),
    ("certificates", "view_certificatetemplate"),
]
TRAINER_PAGE_PERMISSIONS = [
    "add_page",
    "change_page",
    "publish_page",
    "lock_page",
    "unlock_page",
]
TRAINER_COLLECTION_PERMISSIONS = [
    ("wagtailimages", "add_image"),
    ("wagtailimages", "change_image"),
    ("wagtailimages", "choose_image"),
    ("wagtaildocs", "add_document"),
    ("wagtaildocs", "change_document"),
    ("wagtaildocs", "choose_document"),
]


@transaction.atomic
def ensure_trainers_group(home: HomePage) -> Group:
    """Trainers: the admin, course pages, media, cohorts, support, certificates."""
    group, _created = Group.objects.get_or_create(name=TRAINERS_GROUP)
    for app_label, codename in TRAINER_MODEL_PERMISSIONS:
        group.permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )
    for codename in TRAINER_PAGE_PERMISSIONS:
        GroupPagePermission.objects.get_or_create(
            group=group,
            page=home,
            permission=Permission.objects.get(
                content_type__app_label="wagtailcore", codename=codename
            ),
        )
    collection = Collection.get_first_root_node()
    for app_label, codename in TRAINER_COLLECTION_PERMISSIONS:
        GroupCollectionPermission.objects.get_or_create(
            group=group,
            collection=collection,
            permission=Permission.objects.get(
                content_type__app_label=app_label, codename=codename
            ),
        )
    return group
