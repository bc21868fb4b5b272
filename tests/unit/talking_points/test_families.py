"""Sports, food and neighbouring families added after blind8: found in personal sentences, not in business ones."""

from __future__ import annotations

import pytest

from connector.insights.talking_points.detect import analyze_text


def topics_of(text: str, lang: str) -> set[str]:
    return {point.topic for point in analyze_text(text, lang=lang)}


@pytest.mark.parametrize(("text", "lang", "expected"), [
    ("Shaved thirty seconds off my parkrun time this weekend.", "en", {"sports"}),
    ("Our daughter has a swim meet on Saturday so I'll be poolside all day.", "en", {"sports", "family"}),
    ("I pulled a hamstring playing five-a-side on Tuesday.", "en", {"sports", "health"}),
    ("We went bouldering with friends on Sunday, my forearms are dead.", "en", {"sports"}),
    ("Got out for a round of golf at last, shot my best score in years.", "en", {"sports"}),
    ("I climbed my first 6b at the wall last night.", "en", {"sports"}),
    ("I've started a yoga class on Thursday evenings and I love it.", "en", {"sports"}),
    ("We had dinner at our favourite little Italian place for my wife's birthday.", "en",
     {"food", "family", "celebrations"}),
    ("Heading to Mexico City next month, mostly for the food if I'm honest.", "en", {"food", "vacation"}),
    ("I've gone vegan since January and feel great.", "en", {"food"}),
    ("My kids are at summer camp all week.", "en", {"family"}),
    ("I was playing the new Mario Kart game with my son all weekend.", "en", {"entertainment", "family"}),
    ("It's my 40th on Saturday and we're having a party.", "en", {"celebrations"}),
    ("J'ai une pratique de soccer ce soir avec mon équipe.", "fr", {"sports"}),
    ("Je me suis blessée au genou pendant mon match de badminton.", "fr", {"sports", "health"}),
    ("J'ai amélioré mon record sur 10 km dimanche.", "fr", {"sports"}),
    ("Le match du Canadien hier soir était incroyable.", "fr", {"sports"}),
    ("On part à Montréal pour goûter les meilleures poutines.", "fr", {"food", "vacation"}),
    ("Je suis végétarienne depuis un an.", "fr", {"food"}),
    ("Le marché du samedi avait les premières asperges.", "fr", {"food"}),
    ("Les enfants sont en colonie toute la semaine.", "fr", {"family"}),
    ("Nous revenons de Porto, quelle belle ville.", "fr", {"vacation"}),
])
def test_new_family_members_are_found(text: str, lang: str, expected: set[str]) -> None:
    assert topics_of(text, lang) == expected


@pytest.mark.parametrize(("text", "lang"), [
    ("Thanks for sponsoring the marathon; your logo will be on every bib.", "en"),
    ("It's my 10th year with the company and my 3rd renewal.", "en"),
    ("The new Dynamics game plan is attached.", "en"),
    ("We need to step up our game before the Q3 close.", "en"),
    ("We are on track to hit a home run with this deal.", "en"),
    ("Our leisure division is growing fastest this quarter.", "en"),
    ("Please book a table at the restaurant for the client dinner on Thursday.", "en"),
    ("Our food-service clients need the new pricing by Friday.", "en"),
    ("Notre pôle Loisirs est en forte croissance.", "fr"),
    ("Notre division Tourisme et Voyages veut une démo.", "fr"),
    ("Les bonnes pratiques de gestion sont dans le guide.", "fr"),
    ("Le parrainage de l'équipe de hockey sera facturé en mars.", "fr"),
    ("C'est la cerise sur le gâteau pour ce contrat.", "fr"),
])
def test_business_uses_of_the_new_words_trigger_nothing(text: str, lang: str) -> None:
    assert topics_of(text, lang) == set()


def test_a_gig_at_a_sports_venue_is_entertainment_only() -> None:
    assert topics_of("Saw Coldplay in concert at Wembley on Friday, what a night.", "en") == {"entertainment"}


@pytest.mark.parametrize(("text", "lang", "topic"), [
    ("Did you catch the Champions League final? I was up until midnight.", "en", "sports"),
    ("I'm coaching my daughter's netball team this season.", "en", "sports"),
    ("We were glued to the Tour de France all week.", "en", "sports"),
    ("We tried a new Ethiopian restaurant downtown, the injera was great.", "en", "food"),
    ("I'm doing keto for a month, so no bread for me.", "en", "food"),
    ("The farmers' market had the first strawberries of the year.", "en", "food"),
    ("J'ai commencé l'escalade en salle, c'est addictif.", "fr", "sports"),
    ("Mon fils joue au hockey mineur, tournoi ce week-end.", "fr", "sports"),
    ("Nous avons goûté des vins incroyables en Bourgogne.", "fr", "food"),
    ("On a testé un petit resto libanais près de chez nous.", "fr", "food"),
])
def test_leagues_sports_and_food_across_countries(text: str, lang: str, topic: str) -> None:
    assert topic in topics_of(text, lang)


@pytest.mark.parametrize(("text", "lang"), [
    ("Please confirm the catering order for 40 people at the offsite.", "en"),
    ("Can you give me a ballpark figure for the catering order?", "en"),
    ("Our wine distributor client needs the import module.", "en"),
    ("La commande du traiteur pour le séminaire est confirmée.", "fr"),
    ("Nos clients restaurateurs attendent la mise à jour.", "fr"),
])
def test_food_business_is_not_a_talking_point(text: str, lang: str) -> None:
    assert topics_of(text, lang) == set()
