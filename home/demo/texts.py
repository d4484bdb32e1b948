"""Texts of the demo pages, French first with their English translation.

Each string is a `(french, english)` pair; `english_by_french()` turns the
whole table into the lookup that `translation.translate` uses.
"""

HOME = {
    "title": ("Passeurs d'images", "Passeurs d'images"),
    "introduction": (
        "Un dispositif national d'éducation aux images pour les publics qui, pour des raisons "
        "culturelles, sociales ou géographiques, sont éloignés du cinéma et de l'audiovisuel. "
        "Les jeunes d'abord.",
        "A national image-education programme for audiences kept away from cinema and audiovisual "
        "culture for cultural, social or geographic reasons. Young people first.",
    ),
    "body": [
        ("heading", ("Un réseau national", "A national network")),
        (
            "paragraph",
            [
                (
                    "21 coordinations régionales font vivre le dispositif en métropole et en Outre-mer, "
                    "missionnées par les DRAC et les Conseils régionaux.",
                    "21 regional coordinations run the programme across mainland France and the overseas "
                    "territories, mandated by the State's regional culture offices and the regional councils.",
                ),
                (
                    "Plus de 2 000 partenaires travaillent en réseau : structures jeunesse, centres sociaux, "
                    "salles de cinéma, médiathèques, missions locales et associations.",
                    "More than 2,000 partners work as a network: youth structures, social centres, cinemas, "
                    "libraries, local youth employment centres and associations.",
                ),
            ],
        ),
        (
            "image",
            "home-hero",
            ("Faisceau de projecteur sur une pellicule", "A projector beam over a film strip"),
            ("Une séance de restitution", "A restitution screening"),
        ),
        (
            "quote",
            (
                "On a fait notre film, et toute la salle l'a regardé.",
                "We made our own film, and the whole cinema watched it.",
            ),
            ("Participante d'un atelier, 15 ans", "Workshop participant, aged 15"),
        ),
        ("cta", ("Découvrir les objectifs", "Discover the objectives"), "objectifs"),
    ],
}

CONTENT_PAGES = [
    {
        "slug": "objectifs",
        "title": ("Les objectifs", "Objectives"),
        "introduction": (
            "Cinq objectifs guident chaque action du dispositif, de l'atelier de quartier à la rencontre nationale.",
            "Five objectives guide every action of the programme, from the neighbourhood workshop to the national meeting.",
        ),
        "image": ("objectifs", ("Cercles de lumière sur fond sombre", "Circles of light on a dark background")),
        "body": [
            ("heading", ("Éduquer aux images", "Educating about images")),
            (
                "paragraph",
                [
                    (
                        "Découvrir le cinéma d'art et essai, le documentaire et l'animation indépendante, et "
                        "apprendre à se situer face au cinéma, à la télévision, aux médias et aux jeux vidéo.",
                        "Discovering art-house cinema, documentary and independent animation, and learning to "
                        "situate oneself towards cinema, television, media and video games.",
                    )
                ],
            ),
            ("heading", ("Construire avec les territoires", "Building with territories")),
            (
                "paragraph",
                [
                    (
                        "Chaque projet est adapté à son territoire, pensé pour et avec ses publics.",
                        "Each project is fitted to its territory, designed for and with its audiences.",
                    )
                ],
            ),
            ("heading", ("Apprendre en s'amusant", "Learning while having fun")),
            ("heading", ("Créer du lien social", "Creating social bonds")),
            (
                "paragraph",
                [
                    (
                        "Favoriser la mixité et les liens entre générations, lutter contre le racisme, le "
                        "validisme et toutes les exclusions.",
                        "Encouraging mixing and ties between generations, fighting racism, ableism and every "
                        "form of exclusion.",
                    )
                ],
            ),
            ("heading", ("Qualifier les actions", "Qualifying actions")),
            (
                "paragraph",
                [
                    (
                        "Travailler en logique de projet, sur la durée, avec des rencontres d'artistes et "
                        "d'œuvres, et former les partenaires relais.",
                        "Working on projects, over time, with encounters with artists and works, and training "
                        "relay partners.",
                    )
                ],
            ),
        ],
    },
    {
        "slug": "actions",
        "title": ("Les actions", "Actions"),
        "introduction": (
            "Des ateliers de pratique aux séances en plein air, les actions prennent des formes variées.",
            "From hands-on workshops to open-air screenings, actions take many forms.",
        ),
        "image": ("actions", ("Bande de film et faisceau lumineux", "Film strip and light beam")),
        "body": [
            ("heading", ("Ateliers de pratique artistique", "Hands-on workshops")),
            (
                "paragraph",
                [
                    (
                        "Encadrés par un·e intervenant·e professionnel·le, les participants réalisent un film "
                        "d'atelier : fiction, documentaire, animation, clip, machinima ou cinéma bricolé.",
                        "Led by a professional facilitator, participants make a workshop film: fiction, "
                        "documentary, animation, music video, machinima or handmade cinema.",
                    )
                ],
            ),
            ("heading", ("Séances de restitution et projections", "Restitution screenings and projections")),
            (
                "paragraph",
                [
                    (
                        "Les films d'atelier sont projetés en salle lors de séances de restitution. Des séances "
                        "gratuites en plein air, puisées dans un catalogue national d'environ 80 films, animent "
                        "les quartiers.",
                        "Workshop films are shown in cinemas at restitution screenings. Free open-air screenings, "
                        "drawn from a national catalogue of about 80 films, bring neighbourhoods together.",
                    )
                ],
            ),
            ("heading", ("Rencontres et formation des relais", "Meetings and training of relays")),
            (
                "paragraph",
                [
                    (
                        "Des rencontres régionales à internationales font vivre le réseau ; des journées de "
                        "formation aident les partenaires à construire leurs projets.",
                        "Meetings from regional to international keep the network alive; training days help "
                        "partners build their projects.",
                    )
                ],
            ),
        ],
    },
    {
        "slug": "publics",
        "title": ("Les publics", "Audiences"),
        "introduction": (
            "Les jeunes de moins de 25 ans des territoires prioritaires d'abord, et tous les publics éloignés des salles.",
            "Young people under 25 from priority areas first, and every audience far from cinemas.",
        ),
        "image": ("publics", ("Formes colorées évoquant un groupe", "Coloured shapes suggesting a group")),
        "body": [
            (
                "paragraph",
                [
                    (
                        "Quartiers prioritaires de la politique de la ville, zones rurales, territoires éloignés "
                        "des salles de cinéma : le dispositif va vers celles et ceux qui y ont le moins accès.",
                        "Priority urban districts, rural areas, places far from cinemas: the programme goes "
                        "towards those who have the least access.",
                    ),
                    (
                        "Il s'inscrit dans les protocoles Culture/Justice, Culture/Hôpital et Culture/Handicap, "
                        "et accueille mineurs non accompagnés, primo-arrivants et groupes intergénérationnels.",
                        "It takes part in the Culture/Justice, Culture/Hospital and Culture/Disability "
                        "protocols, and welcomes unaccompanied minors, newly arrived migrants and "
                        "intergenerational groups.",
                    ),
                ],
            ),
            ("heading", ("Accessibilité", "Accessibility")),
            (
                "paragraph",
                [
                    (
                        "Sous-titres pour sourds et malentendants, audiodescription, résumés en facile à lire "
                        "et à comprendre, versions en langue des signes : chaque film peut être vu par tous.",
                        "Subtitles for the deaf and hard of hearing, audio description, easy-to-read summaries, "
                        "sign-language versions: every film can be seen by everyone.",
                    )
                ],
            ),
        ],
    },
    {
        "slug": "partenaires",
        "title": ("Les partenaires", "Partners"),
        "introduction": (
            "Le réseau s'organise à trois niveaux : national, régional et local.",
            "The network works at three levels: national, regional and local.",
        ),
        "image": ("partenaires", ("Réseau de cercles reliés", "A network of linked circles")),
        "body": [
            (
                "paragraph",
                [
                    (
                        "Au niveau national, L'Archipel des lucioles, association nationale du dispositif, "
                        "mutualise et diffuse les ressources.",
                        "At national level, L'Archipel des lucioles, the programme's national association, "
                        "pools and spreads resources.",
                    ),
                    (
                        "Chaque coordination régionale pilote, accompagne, forme, communique et organise les "
                        "temps de restitution.",
                        "Each regional coordination leads, supports, trains, communicates and organises "
                        "restitution events.",
                    ),
                    (
                        "Localement, un coordinateur travaille avec les structures jeunesse, les centres "
                        "sociaux, les cinémas, les médiathèques et les associations.",
                        "Locally, a coordinator works with youth structures, social centres, cinemas, "
                        "libraries and associations.",
                    ),
                ],
            ),
            ("cta", ("Voir les actions", "See the actions"), "actions"),
        ],
    },
]


def _pairs(value):
    if isinstance(value, tuple) and len(value) == 2 and all(isinstance(v, str) for v in value):
        yield value
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _pairs(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _pairs(item)


def english_by_french():
    """Every (French, English) pair of the demo texts, as a lookup table."""
    return dict(_pairs([HOME, CONTENT_PAGES]))
