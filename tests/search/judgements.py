"""Judged queries on the test catalogue, and the two measures computed from them.

Each query lists the items (by slug) that must come first, in any order: the
ideal ranking puts all of them at the top. Relevance is binary. NDCG@10 and
MRR are computed by `evaluate`, used both by the floor test
(`test_relevance.py`) and by `make bench` (`benchmarks/bench_search.py`).
"""

import math

FRENCH = [
    ("atelier d'animation avec des collégiens en zone rurale", ["petit-chaperon"]),
    ("éducation aux médias", ["vrai-ou-faux", "guide-medias", "radio-quartier"]),
    ("education aux medias", ["vrai-ou-faux", "guide-medias", "radio-quartier"]),
    ("handicap", ["main-dans-la-main", "mots-du-silence", "guide-accessibilite"]),
    ("zootrope", ["zootrope-magique", "guide-jouets-optiques"]),
    ("zootrpe", ["zootrope-magique", "guide-jouets-optiques"]),
    ("cinéma plein aire", ["sous-les-etoiles", "village-cinema"]),
    ("séance en plein air", ["sous-les-etoiles", "village-cinema", "guide-plein-air"]),
    ("langue des signes", ["main-dans-la-main", "guide-accessibilite"]),
    ("LSF", ["main-dans-la-main", "guide-accessibilite"]),
    ("audiodescription", ["mots-du-silence", "guide-accessibilite"]),
    ("mineurs non accompagnés", ["voyage-amina"]),
    ("exil", ["voyage-amina"]),
    ("protection judiciaire de la jeunesse", ["derriere-les-murs", "slam-en-liberte"]),
    ("hôpital", ["chambre-203"]),
    ("hopital", ["chambre-203"]),
    ("enfants hospitalisés", ["chambre-203"]),
    ("pâte à modeler", ["chambre-203"]),
    ("agriculteurs", ["ferme-des-possibles"]),
    ("intergénérationnel", ["mamie-raconte", "cuisine-grands-meres", "portraits-de-femmes"]),
    ("clip hip-hop", ["clip-des-cites"]),
    ("Minecraft", ["pixels-chateaux", "guide-machinima"]),
    ("machinima", ["pixels-chateaux", "guide-machinima"]),
    ("machinma", ["pixels-chateaux", "guide-machinima"]),
    ("jouets optiques", ["zootrope-magique", "guide-jouets-optiques"]),
    ("inondation", ["riviere-en-colere"]),
    ("football", ["footballeuses"]),
    ("égalité filles garçons", ["footballeuses", "portraits-de-femmes"]),
    ("fond vert", ["effets-speciaux"]),
    ("effets spéciaux", ["effets-speciaux"]),
    ("écriture de scénario", ["scenario-du-samedi", "guide-scenario"]),
    ("théâtre d'ombres", ["ombres-chinoises"]),
    ("primo-arrivants", ["ombres-chinoises"]),
    ("podcast", ["radio-quartier"]),
    ("La Réunion", ["plage-en-hiver"]),
    ("créole", ["plage-en-hiver"]),
    ("ciné-débat", ["ete-au-cinema"]),
    ("festival programmé par des jeunes", ["ete-au-cinema"]),
    ("photographie", ["mamie-raconte", "portraits-de-femmes"]),
    ("gare", ["train-de-minuit"]),
    ("recettes de cuisine", ["cuisine-grands-meres"]),
    ("biodiversité", ["animal-totem"]),
    ("pêcheurs", ["bruit-des-vagues"]),
    ("village", ["village-cinema", "ferme-des-possibles"]),
    ("slam", ["slam-en-liberte"]),
    ("racisme", ["vivre-ensemble"]),
    ("droit à l'image", ["guide-droit-image"]),
    ("autorisation parentale", ["guide-droit-image"]),
    ("fausses informations", ["vrai-ou-faux", "guide-medias"]),
    ("papier découpé", ["petit-chaperon", "guide-animation"]),
    ("stop motion", ["chambre-203", "guide-animation"]),
    ("devenir partenaire", ["devenir-partenaire"]),
    ("Le Petit Chaperon", ["petit-chaperon"]),
    ("skatepark", ["derriere-les-murs"]),
]
ENGLISH = [
    ("paper cut-out animation", ["paper-riding-hood", "stop-motion-guide"]),
    ("sign language", ["hand-in-hand"]),
    ("media literacy", ["true-or-false", "media-literacy-guide"]),
    ("fake news", ["true-or-false", "media-literacy-guide"]),
    ("open-air screening", ["open-air-guide"]),
    ("unaccompanied minors", ["aminas-journey"]),
    ("fireflies", ["fireflies"]),
    ("neighbourhood at night", ["fireflies"]),
    ("stop-motion workshop", ["stop-motion-guide", "paper-riding-hood"]),
    ("exile", ["aminas-journey"]),
    ("investigating pupils", ["true-or-false"]),
    ("become a partner", ["become-a-partner"]),
]
K = 10


def ndcg(ranked, relevant, k=K):
    dcg = sum(1 / math.log2(position + 2) for position, item in enumerate(ranked[:k]) if item in relevant)
    ideal = sum(1 / math.log2(position + 2) for position in range(min(len(relevant), k)))
    return dcg / ideal if ideal else 0.0


def reciprocal_rank(ranked, relevant):
    for position, item in enumerate(ranked, start=1):
        if item in relevant:
            return 1 / position
    return 0.0


def evaluate(search):
    """`search(query, locale) -> [slug, ...]` ranked; returns figures per language and the failures."""
    figures, misses = {}, []
    for locale, judged in (("fr", FRENCH), ("en", ENGLISH)):
        ndcgs, rrs = [], []
        for query, relevant in judged:
            ranked = search(query, locale)
            ndcgs.append(ndcg(ranked, set(relevant)))
            rrs.append(reciprocal_rank(ranked, set(relevant)))
            if rrs[-1] < 1:
                misses.append((locale, query, relevant, ranked[:5]))
        figures[locale] = {"queries": len(judged), "ndcg": sum(ndcgs) / len(ndcgs), "mrr": sum(rrs) / len(rrs)}
    return figures, misses
