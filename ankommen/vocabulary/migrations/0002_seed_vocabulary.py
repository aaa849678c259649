"""Seed the shared vocabularies; afterwards they are edited in the admin."""

from django.db import migrations

LANGUAGES = [
    # code, English name, own name, direction, commonly needed in the networks (seed 004)
    ("de", "German", "Deutsch", "ltr", True),
    ("en", "English", "English", "ltr", True),
    ("ar", "Arabic", "العربية", "rtl", True),
    ("fa", "Persian (Farsi)", "فارسی", "rtl", True),
    ("prs", "Dari", "دری", "rtl", True),
    ("ps", "Pashto", "پښتو", "rtl", True),
    ("ku", "Kurdish (Kurmanji)", "Kurdî (Kurmancî)", "ltr", True),
    ("ckb", "Kurdish (Sorani)", "کوردی (سۆرانی)", "rtl", True),
    ("tr", "Turkish", "Türkçe", "ltr", True),
    ("uk", "Ukrainian", "Українська", "ltr", True),
    ("ru", "Russian", "Русский", "ltr", True),
    ("ti", "Tigrinya", "ትግርኛ", "ltr", True),
    ("so", "Somali", "Soomaali", "ltr", True),
    ("sw", "Swahili", "Kiswahili", "ltr", True),
    ("ur", "Urdu", "اردو", "rtl", True),
    ("fr", "French", "Français", "ltr", True),
    ("am", "Amharic", "አማርኛ", "ltr", False),
    ("om", "Oromo", "Afaan Oromoo", "ltr", False),
    ("es", "Spanish", "Español", "ltr", False),
    ("it", "Italian", "Italiano", "ltr", False),
    ("pt", "Portuguese", "Português", "ltr", False),
    ("pl", "Polish", "Polski", "ltr", False),
    ("ro", "Romanian", "Română", "ltr", False),
    ("bg", "Bulgarian", "Български", "ltr", False),
    ("sq", "Albanian", "Shqip", "ltr", False),
    ("sr", "Serbian", "Српски", "ltr", False),
    ("bs", "Bosnian", "Bosanski", "ltr", False),
    ("hr", "Croatian", "Hrvatski", "ltr", False),
    ("mk", "Macedonian", "Македонски", "ltr", False),
    ("el", "Greek", "Ελληνικά", "ltr", False),
    ("hy", "Armenian", "Հայերեն", "ltr", False),
    ("ka", "Georgian", "ქართული", "ltr", False),
    ("az", "Azerbaijani", "Azərbaycanca", "ltr", False),
    ("tg", "Tajik", "Тоҷикӣ", "ltr", False),
    ("uz", "Uzbek", "Oʻzbekcha", "ltr", False),
    ("hi", "Hindi", "हिन्दी", "ltr", False),
    ("bn", "Bengali", "বাংলা", "ltr", False),
    ("pa", "Punjabi", "ਪੰਜਾਬੀ", "ltr", False),
    ("ta", "Tamil", "தமிழ்", "ltr", False),
    ("zh", "Chinese", "中文", "ltr", False),
    ("vi", "Vietnamese", "Tiếng Việt", "ltr", False),
    ("ha", "Hausa", "Hausa", "ltr", False),
    ("yo", "Yoruba", "Yorùbá", "ltr", False),
    ("ig", "Igbo", "Igbo", "ltr", False),
    ("ln", "Lingala", "Lingála", "ltr", False),
    ("he", "Hebrew", "עברית", "rtl", False),
    ("gsg", "German Sign Language", "Deutsche Gebärdensprache", "ltr", False),
]

# The canonical name is German, the portal's default language; the others are translations.
THEMES = [
    (
        "learning-german",
        "Deutsch lernen",
        {
            "en": "Learning German", "ar": "تعلم اللغة الألمانية", "fa": "یادگیری زبان آلمانی",
            "ps": "د الماني ژبې زده کړه", "uk": "Вивчення німецької", "ru": "Изучение немецкого",
            "tr": "Almanca öğrenmek", "ku": "Fêrbûna almanî", "ti": "ጀርመንኛ ምምሃር",
            "so": "Barashada luqadda Jarmalka", "fr": "Apprendre l'allemand",
        },
    ),
    (
        "jobs-training",
        "Arbeit & Ausbildung",
        {
            "en": "Jobs & training", "ar": "العمل والتدريب المهني", "fa": "کار و آموزش حرفه‌ای",
            "ps": "کار او مسلکي زده کړه", "uk": "Робота й навчання", "ru": "Работа и обучение",
            "tr": "İş ve meslek eğitimi", "ku": "Kar û perwerdeya pîşeyî", "ti": "ስራሕን ሞያዊ ስልጠናን",
            "so": "Shaqo iyo tababar", "fr": "Emploi et formation",
        },
    ),
    (
        "housing",
        "Wohnen",
        {
            "en": "Housing", "ar": "السكن", "fa": "مسکن", "ps": "استوګنځی", "uk": "Житло",
            "ru": "Жильё", "tr": "Konut", "ku": "Xanî", "ti": "መንበሪ ገዛ", "so": "Guri",
            "fr": "Logement",
        },
    ),
    (
        "health",
        "Gesundheit",
        {
            "en": "Health", "ar": "الصحة", "fa": "سلامت", "ps": "روغتیا", "uk": "Здоров'я",
            "ru": "Здоровье", "tr": "Sağlık", "ku": "Tenduristî", "ti": "ጥዕና", "so": "Caafimaad",
            "fr": "Santé",
        },
    ),
    (
        "authorities",
        "Behörden & Papiere",
        {
            "en": "Authorities & paperwork", "ar": "الدوائر الرسمية والأوراق",
            "fa": "ادارات و مدارک", "ps": "دولتي ادارې او اسناد", "uk": "Установи й документи",
            "ru": "Ведомства и документы", "tr": "Resmi daireler ve evraklar",
            "ku": "Rayedar û belge", "ti": "ቤት ጽሕፈታትን ሰነዳትን",
            "so": "Xafiisyada dowladda iyo waraaqaha", "fr": "Administrations et démarches",
        },
    ),
    (
        "everyday-help",
        "Alltagshilfe",
        {
            "en": "Everyday help", "ar": "المساعدة في الحياة اليومية",
            "fa": "کمک در زندگی روزمره", "ps": "ورځنۍ مرسته", "uk": "Допомога в повсякденні",
            "ru": "Помощь в повседневной жизни", "tr": "Günlük yaşamda yardım",
            "ku": "Alîkariya rojane", "ti": "ሓገዝ ኣብ መዓልታዊ ህይወት",
            "so": "Caawinta nolol maalmeedka", "fr": "Aide au quotidien",
        },
    ),
    (
        "culture-leisure",
        "Kultur & Freizeit",
        {
            "en": "Culture & leisure", "ar": "الثقافة والترفيه", "fa": "فرهنگ و اوقات فراغت",
            "ps": "کلتور او تفریح", "uk": "Культура й дозвілля", "ru": "Культура и досуг",
            "tr": "Kültür ve boş zaman", "ku": "Çand û dema vala", "ti": "ባህልን ዘናን",
            "so": "Dhaqanka iyo madadaalada", "fr": "Culture et loisirs",
        },
    ),
    (
        "children-family",
        "Kinder & Familie",
        {
            "en": "Children & family", "ar": "الأطفال والعائلة", "fa": "کودکان و خانواده",
            "ps": "ماشومان او کورنۍ", "uk": "Діти й сім'я", "ru": "Дети и семья",
            "tr": "Çocuklar ve aile", "ku": "Zarok û malbat", "ti": "ቆልዑን ስድራቤትን",
            "so": "Carruurta iyo qoyska", "fr": "Enfants et famille",
        },
    ),
]

# The thirteen Stadtbezirke of Hannover, the city of the largest network (seed 004);
# another city replaces them in the admin.
DISTRICTS = [
    ("mitte", "Mitte"),
    ("vahrenwald-list", "Vahrenwald-List"),
    ("bothfeld-vahrenheide", "Bothfeld-Vahrenheide"),
    ("buchholz-kleefeld", "Buchholz-Kleefeld"),
    ("misburg-anderten", "Misburg-Anderten"),
    ("kirchrode-bemerode-wuelferode", "Kirchrode-Bemerode-Wülferode"),
    ("suedstadt-bult", "Südstadt-Bult"),
    ("doehren-wuelfel", "Döhren-Wülfel"),
    ("ricklingen", "Ricklingen"),
    ("linden-limmer", "Linden-Limmer"),
    ("ahlem-badenstedt-davenstedt", "Ahlem-Badenstedt-Davenstedt"),
    ("herrenhausen-stoecken", "Herrenhausen-Stöcken"),
    ("nord", "Nord"),
]


def seed(apps, schema_editor):
    Language = apps.get_model("vocabulary", "Language")
    Theme = apps.get_model("vocabulary", "Theme")
    District = apps.get_model("vocabulary", "District")
    Language.objects.bulk_create(
        Language(code=code, name_en=name_en, name_native=native, direction=direction, is_common=common)
        for code, name_en, native, direction, common in LANGUAGES
    )
    Theme.objects.bulk_create(
        Theme(slug=slug, name=name, translations=translations, position=position)
        for position, (slug, name, translations) in enumerate(THEMES, start=1)
    )
    District.objects.bulk_create(District(slug=slug, name=name) for slug, name in DISTRICTS)


def unseed(apps, schema_editor):
    apps.get_model("vocabulary", "Language").objects.filter(
        code__in=[row[0] for row in LANGUAGES]
    ).delete()
    apps.get_model("vocabulary", "Theme").objects.filter(slug__in=[row[0] for row in THEMES]).delete()
    apps.get_model("vocabulary", "District").objects.filter(
        slug__in=[row[0] for row in DISTRICTS]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("vocabulary", "0001_create_vocabulary")]

    operations = [migrations.RunPython(seed, unseed)]
