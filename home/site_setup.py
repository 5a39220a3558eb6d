"""Put the site tree and the trainers' group in place; each step safe to repeat."""

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext, gettext_noop
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import (
    Collection,
    GroupCollectionPermission,
    GroupPagePermission,
    Locale,
    Page,
    Site,
)
from wagtail_localize.models import LocaleSynchronization
from wagtail_localize.synctree import PageIndex, synchronize_tree

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


def _contact(name: str, description: str, *, phone="", text="", website="") -> dict:
    return {
        "type": "contact",
        "value": {
            "name": name,
            "description": description,
            "phone": phone,
            "text": text,
            "website": website,
            "hours": "24/7",
        },
    }


TRAFFICKING_HOTLINE_URL = "https://humantraffickinghotline.org/"
MODERN_SLAVERY_HELPLINE_URL = "https://www.modernslaveryhelpline.org/"
LIFELINE_URL = "https://988lifeline.org/"

# The demo's support panel in each language: real, well-known services that
# answer in that language or offer an interpreter. An organisation replaces
# them with its own in the admin (Settings, Support panel).
DEMO_SUPPORT_PANELS = {
    "en": (
        "<p>You do not have to go through this alone. These services listen "
        "without judging. Calls to them are free.</p>",
        [
            _contact(
                "Emergency services",
                "If you or someone else is in danger now.",
                phone="911 (US) · 999 (UK) · 112 (EU)",
            ),
            _contact(
                "988 Suicide & Crisis Lifeline (US)",
                "Free, private support from a trained counselor.",
                phone="988",
                text="Text 988",
                website=LIFELINE_URL,
            ),
            _contact(
                "Samaritans (UK and Ireland)",
                "Someone to listen, whatever you are going through.",
                phone="116 123",
                website="https://www.samaritans.org/",
            ),
            _contact(
                "National Human Trafficking Hotline (US)",
                "Confidential help and referrals, in many languages.",
                phone="1-888-373-7888",
                text="Text 233733",
                website=TRAFFICKING_HOTLINE_URL,
            ),
            _contact(
                "Modern Slavery & Exploitation Helpline (UK)",
                "Confidential advice and support.",
                phone="08000 121 700",
                website=MODERN_SLAVERY_HELPLINE_URL,
            ),
        ],
    ),
    "es": (
        "<p>No tienes que pasar por esto a solas. Estos servicios escuchan sin "
        "juzgar. Llamar es gratis.</p>",
        [
            _contact(
                "Servicios de emergencia",
                "Si tú u otra persona están en peligro ahora mismo.",
                phone="911 (EE. UU.) · 999 (Reino Unido) · 112 (UE)",
            ),
            _contact(
                "988 Lifeline (EE. UU.)",
                "Apoyo gratuito y confidencial de una persona formada para "
                "escuchar. Al llamar, puedes pedir atención en español.",
                phone="988",
                text="Mensaje de texto al 988",
                website=LIFELINE_URL,
            ),
            _contact(
                "Línea 024 (España)",
                "Atención gratuita y confidencial para personas con pensamientos "
                "de suicidio y para quienes están a su lado.",
                phone="024",
            ),
            _contact(
                "National Human Trafficking Hotline (EE. UU.)",
                "Ayuda confidencial y derivaciones, con atención en español.",
                phone="1-888-373-7888",
                text="Mensaje de texto al 233733",
                website=TRAFFICKING_HOTLINE_URL,
            ),
            _contact(
                "Modern Slavery & Exploitation Helpline (Reino Unido)",
                "Asesoramiento y apoyo confidenciales. Puedes pedir intérprete.",
                phone="08000 121 700",
                website=MODERN_SLAVERY_HELPLINE_URL,
            ),
        ],
    ),
    "ar": (
        "<p>لست وحدك في هذا. هذه الخدمات تصغي إليك دون أن تحكم عليك، "
        "والاتصال بها مجاني.</p>",
        [
            _contact(
                "خدمات الطوارئ",
                "إذا كنت أنت أو شخص آخر في خطر الآن.",
                phone=(
                    "911 (الولايات المتحدة) · 999 (المملكة المتحدة) · "
                    "112 (الاتحاد الأوروبي)"
                ),
            ),
            _contact(
                "National Human Trafficking Hotline (الولايات المتحدة)",
                "مساعدة سرية وإحالات. يمكنك طلب مترجم فوري إلى العربية.",
                phone="1-888-373-7888",
                website=TRAFFICKING_HOTLINE_URL,
            ),
            _contact(
                "Modern Slavery & Exploitation Helpline (المملكة المتحدة)",
                "مشورة ودعم بسرية. يمكنك طلب مترجم فوري إلى العربية.",
                phone="08000 121 700",
                website=MODERN_SLAVERY_HELPLINE_URL,
            ),
            _contact(
                "988 Lifeline (الولايات المتحدة)",
                "دعم مجاني وسري من شخص مدرَّب على الإصغاء. "
                "يمكنك طلب مترجم فوري عند الاتصال.",
                phone="988",
                website=LIFELINE_URL,
            ),
        ],
    ),
}
EMERGENCY_LINE = gettext_noop(
    "If you are in danger now, call your local emergency number."
)


def ensure_default_locale() -> Locale:
    """The default language's locale; a flushed database (tests) has lost it."""
    locale, _created = Locale.objects.get_or_create(
        language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE)
    )
    return locale


@transaction.atomic
def ensure_home_page() -> HomePage:
    """Make a HomePage the default site's root, replacing Wagtail's welcome page."""
    # The original, not its copy in another language.
    home = HomePage.objects.filter(locale=ensure_default_locale()).first()
    if home is None:
        # A flushed database (transactional tests) has lost what migrations made.
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
    index = CourseIndexPage.objects.child_of(home).first()
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
    """Fill in the demo's support panel for each language that has no contacts yet."""
    safety = SafetySettings.load()
    missing = [
        code for code in DEMO_SUPPORT_PANELS if not getattr(safety, f"contacts_{code}")
    ]
    for code in missing:
        intro, contacts = DEMO_SUPPORT_PANELS[code]
        setattr(safety, f"support_intro_{code}", intro)
        with translation.override(code):
            setattr(safety, f"emergency_text_{code}", gettext(EMERGENCY_LINE))
        setattr(safety, f"contacts_{code}", contacts)
    if missing:
        safety.save()
    return safety


@transaction.atomic
def ensure_locales() -> list[Locale]:
    """A locale per site language; each follows the default language's page tree.

    wagtail-localize keeps a following locale's tree in step: a page not yet
    translated there is an alias of the original, so the site answers at the
    same address in every language. It does so when the synchronisation is
    first saved, and for pages created in the admin; pages built in code (the
    demo) are not seen, so the trees are synchronised here, every time.
    """
    default = ensure_default_locale()
    locales = [default]
    for code, _name in settings.LANGUAGES:
        if code == default.language_code:
            continue
        locale, _created = Locale.objects.get_or_create(language_code=code)
        LocaleSynchronization.objects.get_or_create(
            locale=locale, defaults={"sync_from": default}
        )
        locales.append(locale)
    # As wagtail-localize's sync_locale_trees does, but now, not on its job queue.
    page_index = PageIndex.from_database().sort_by_tree_position()
    for sync in LocaleSynchronization.objects.select_related("sync_from", "locale"):
        synchronize_tree(sync.sync_from, sync.locale, page_index=page_index)
    return locales


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
    ("peers", "moderate_circle"),
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
