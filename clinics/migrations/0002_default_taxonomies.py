"""Default taxonomies (DOMAIN.md) and the resource hub seed. Coordinators edit them afterwards;
slugs are stable keys, labels may change."""

from django.db import migrations

TERMS = {
    "FormOfAbuse": [
        ("intra-familial", "Intra-familial child sexual abuse"),
        ("sibling", "Sibling sexual abuse"),
        ("harmful-sexual-behaviour", "Harmful sexual behaviour by a child or young person"),
        ("exploitation", "Child sexual exploitation"),
        ("online", "Online child sexual abuse"),
        ("institutional", "Institutional child sexual abuse"),
        ("not-yet-clear", "Not yet clear"),
    ],
    "PathwayStage": [
        ("identifying-concerns", "Identifying concerns (signs and indicators, no disclosure)"),
        ("responding-to-disclosure", "Responding to a disclosure"),
        ("strategy-enquiries", "Strategy discussion or enquiries"),
        ("medical-assessment", "CSA medical assessment"),
        ("planning-support", "Planning and support (child in need, child protection plan, looked after)"),
        ("therapeutic-support", "Therapeutic support"),
        ("closure-step-down", "Closure or step-down"),
        ("non-recent", "Non-recent abuse"),
    ],
    "AgeBand": [("0-4", "0 to 4"), ("5-10", "5 to 10"), ("11-15", "11 to 15"), ("16-17", "16 to 17")],
    "Gender": [("girl", "Girl"), ("boy", "Boy"), ("other", "Other or non-binary"), ("not-known", "Not known or prefer not to say")],
    "PlanStatus": [
        ("none", "No plan"),
        ("child-in-need", "Child in need"),
        ("child-protection", "Child protection plan"),
        ("looked-after", "Looked after"),
    ],
    "ContextFactor": [
        ("disability-send", "Disability or SEND"),
        ("neurodivergent", "Neurodivergent"),
        ("missing-episodes", "Missing episodes"),
        ("online-element", "Online element"),
        ("language-interpreter", "Language or interpreter needs"),
    ],
    "SupportNeed": [
        ("direct-work-tools", "Direct-work tools"),
        ("risk-assessment", "Assessing risk"),
        ("working-with-parents", "Working with parents and carers"),
        ("closure-decision", "A closure decision"),
        ("own-wellbeing", "Support for my own wellbeing"),
        ("other", "Something else"),
    ],
    "CoAttendeeRole": [
        ("team-manager", "Team manager"),
        ("cp-chair", "Child protection conference chair"),
        ("iro", "Independent reviewing officer"),
        ("dsl", "Designated safeguarding lead (school)"),
        ("health-professional", "Health professional"),
        ("police-officer", "Police officer"),
        ("other-practitioner", "Another practitioner"),
    ],
    "RedirectRoute": [
        ("front-door-mash", "Children's services front door or MASH"),
        ("lado", "Local authority designated officer (LADO)"),
        ("police", "Police"),
        ("other-service", "Another service"),
    ],
    "ResourceKind": [
        ("template", "Template"),
        ("guide", "Guide"),
        ("tool", "Tool"),
        ("research", "Research"),
        ("service", "Service"),
    ],
}

RESOURCES = [
    ("Signs and Indicators Template", "template", "https://www.csacentre.org.uk/resources/key-messages/signs-indicators-template/", ["identifying-concerns"], []),
    ("Communicating with children: a guide for those working with children who have or may have been sexually abused", "guide", "https://www.csacentre.org.uk/resources/communicating-with-children/", ["identifying-concerns", "responding-to-disclosure"], []),
    ("Supporting parents and carers: a guide for those working with families affected by child sexual abuse", "guide", "https://www.csacentre.org.uk/resources/supporting-parents-and-carers/", ["planning-support"], ["intra-familial"]),
    ("Managing risk and trauma after online sexual offending", "guide", "https://www.csacentre.org.uk/resources/managing-risk-and-trauma-after-online-offending/", ["planning-support"], ["online"]),
    ("Sibling sexual abuse: a guide for practitioners", "guide", "https://www.csacentre.org.uk/resources/sibling-sexual-abuse/", [], ["sibling"]),
    ("Brook Sexual Behaviours Traffic Light Tool", "tool", "https://www.brook.org.uk/training/traffic-light-tool/", ["identifying-concerns"], ["harmful-sexual-behaviour"]),
    ("CSA Response Pathway", "guide", "https://www.csacentre.org.uk/resources/csa-response-pathway/", [], []),
]


def load(apps, schema_editor):
    for model_name, terms in TERMS.items():
        model = apps.get_model("clinics", model_name)
        for position, (slug, label) in enumerate(terms):
            model.objects.update_or_create(slug=slug, defaults={"label": label, "position": position})
    Resource = apps.get_model("clinics", "Resource")
    ResourceKind = apps.get_model("clinics", "ResourceKind")
    PathwayStage = apps.get_model("clinics", "PathwayStage")
    FormOfAbuse = apps.get_model("clinics", "FormOfAbuse")
    for title, kind, url, stages, forms in RESOURCES:
        publisher = "Brook" if "Brook" in title else "Centre of expertise on child sexual abuse"
        resource, _ = Resource.objects.update_or_create(
            title=title, defaults={"url": url, "kind": ResourceKind.objects.get(slug=kind), "publisher": publisher}
        )
        resource.stages.set(PathwayStage.objects.filter(slug__in=stages))
        resource.forms.set(FormOfAbuse.objects.filter(slug__in=forms))


class Migration(migrations.Migration):
    dependencies = [("clinics", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
