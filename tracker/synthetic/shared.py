"""The rows every synthetic plan uses, made once and found again by later runs: institutions,
funding sources, the sex and region dimensions (the real fixtures' own when loaded), and the
two users who enter and validate the synthetic values."""

from dataclasses import dataclass

from django.contrib.auth import get_user_model

from tracker.models import Dimension, DimensionValue, FundingSource, Institution, Region

from .common import synthetic_note

INSTITUTIONS = 15
INSTITUTION_KINDS = [
    Institution.Kind.MINISTRY,
    Institution.Kind.MINISTRY,
    Institution.Kind.MINISTRY,
    Institution.Kind.CSO,
    Institution.Kind.CSO,
    Institution.Kind.UN_AGENCY,
    Institution.Kind.PARTNER,
    Institution.Kind.PUBLIC_BODY,
    Institution.Kind.PARLIAMENT,
    Institution.Kind.PEACE_MECHANISM,
    Institution.Kind.COORDINATION,
]
FUNDING_SOURCES = [
    ("Budget national (synthétique)", "Synthetic national budget", "national_budget"),
    ("Fonds commun (synthétique)", "Synthetic basket fund", "basket_fund"),
    ("Bailleur A (synthétique)", "Synthetic donor A", "donor"),
    ("Bailleur B (synthétique)", "Synthetic donor B", "donor"),
]


@dataclass
class Shared:
    """Rows every synthetic plan uses: institutions, funding sources, dimensions, users."""

    institutions: list
    funding_sources: list
    sex: list  # [women, men] DimensionValue
    sex_dimension: object
    regions: list  # region DimensionValues
    region_dimension: object
    entry_user: object
    validator: object


def ensure_shared(seed):
    note = synthetic_note(seed)
    institutions = []
    for index in range(1, INSTITUTIONS + 1):
        name = f"Synthetic institution {index:02d}"
        institution = Institution.objects.filter(acronym=f"SYN{index:02d}").first()
        if institution is None:
            institution = Institution.objects.create(
                name_fr=f"Institution synthétique {index:02d}",
                name_en=name,
                acronym=f"SYN{index:02d}",
                kind=INSTITUTION_KINDS[(index - 1) % len(INSTITUTION_KINDS)],
                source_note=note,
            )
        institutions.append(institution)
    funding_sources = []
    for name_fr, name_en, kind in FUNDING_SOURCES:
        source = FundingSource.objects.filter(name_en=name_en).first()
        if source is None:
            source = FundingSource.objects.create(name_fr=name_fr, name_en=name_en, kind=kind)
        funding_sources.append(source)
    sex_dimension, sex = _ensure_sex()
    region_dimension, regions = _ensure_regions()
    user_model = get_user_model()
    users = []
    for username, first_name in (
        ("synthetic-entry", "Synthetic data entry"),
        ("synthetic-validator", "Synthetic validator"),
    ):
        user = user_model.objects.filter(username=username).first()
        if user is None:
            user = user_model(username=username, first_name=first_name, is_active=False)
            user.set_unusable_password()
            user.save()
        users.append(user)
    return Shared(
        institutions=institutions,
        funding_sources=funding_sources,
        sex=sex,
        sex_dimension=sex_dimension,
        regions=regions,
        region_dimension=region_dimension,
        entry_user=users[0],
        validator=users[1],
    )


def _ensure_sex():
    """The sex dimension of the real fixtures when loaded (code "sex", values women and men)."""
    dimension = Dimension.objects.filter(code="sex").first()
    if dimension is None:
        dimension = Dimension.objects.create(code="sex", name_fr="Sexe", name_en="Sex", order=1)
    values = []
    for order, (code, name_fr, name_en) in enumerate(
        (("women", "Femmes et filles", "Women and girls"), ("men", "Hommes et garçons", "Men"))
    ):
        value = DimensionValue.objects.filter(dimension=dimension, code=code).first()
        if value is None:
            value = DimensionValue.objects.create(
                dimension=dimension, code=code, name_fr=name_fr, name_en=name_en, order=order + 1
            )
        values.append(value)
    return dimension, values


def _ensure_regions():
    """The region dimension of the real fixtures when loaded, else eleven synthetic regions."""
    dimension = Dimension.objects.filter(code="region").first()
    if dimension is None:
        dimension = Dimension.objects.create(
            code="region", name_fr="Région", name_en="Region", order=2
        )
    values = list(dimension.values.order_by("order", "code"))
    if values:
        return dimension, values
    for index in range(1, 12):
        region, _created = Region.objects.get_or_create(
            code=f"SYN-R{index:02d}", defaults={"name": f"Synthetic region {index}"}
        )
        values.append(
            DimensionValue.objects.create(
                dimension=dimension,
                code=f"syn-r{index:02d}",
                name_fr=f"Région synthétique {index}",
                name_en=f"Synthetic region {index}",
                order=index,
                region=region,
            )
        )
    return dimension, values
