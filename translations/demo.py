"""The translators' demo: every text still read is asked for in the newcomers' languages, the
versions the demo came with count as published, and the demo volunteer translates Arabic."""

from ankommen.accounts.models import Role, User
from ankommen.operations.demo import DemoContext, demo_seeder
from ankommen.vocabulary.models import Language, LanguageLevel
from translations import selectors, services
from translations.models import TranslationTask, Translator
from volunteers.models import LanguageSkill, Volunteer

DEMO_TRANSLATOR = "volunteer@demo.ankommen.example"


@demo_seeder("translations", order=45)
def seed_translations(context: DemoContext) -> dict[str, int]:
    coordinator = User.objects.filter(role=Role.COORDINATOR).order_by("pk").first()
    if coordinator is None:
        return {}
    languages = services.reader_languages()
    for item in selectors.translatables():
        for record in item.still_read():
            services.note_versions(record, by=coordinator)
            services.ask_for_translations(record, by=coordinator, languages=languages)
    volunteer = Volunteer.objects.filter(user__email=DEMO_TRANSLATOR).first()
    if volunteer is not None:
        LanguageSkill.objects.update_or_create(
            volunteer=volunteer,
            language=Language.objects.get(code="ar"),
            defaults={"level": LanguageLevel.FLUENT},
        )
        Translator.objects.get_or_create(user=volunteer.user)
    return {
        "texts to translate": TranslationTask.objects.exclude(
            state=TranslationTask.State.DONE
        ).count(),
        "translators": Translator.objects.count(),
    }
