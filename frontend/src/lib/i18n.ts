/**
 * The site's own words in French and English, and the link helpers that put
 * the English pages under /en/. The content comes from the API in the
 * visitor's language; only the interface words live here.
 */
export type Lang = "fr" | "en";
export const LANGS: readonly Lang[] = ["fr", "en"];

const fr = {
  siteName: "Passeurs d'images",
  skip: "Aller au contenu",
  mainNav: "Navigation principale",
  home: "Accueil",
  films: "Films",
  guides: "Guides",
  coordinations: "Coordinations",
  search: "Recherche",
  siteSearch: "Recherche sur le site",
  otherLanguage: "English",
  otherLanguageLabel: "Read this page in English",
  footer: "Passeurs d'images, dispositif national d'éducation aux images",
  apiDocs: "API du réseau",
  catalogueTitle: "Films des ateliers",
  catalogueIntro: "Les films réalisés par les participants des ateliers Passeurs d'images.",
  filters: "Filtrer les films",
  coordination: "Coordination",
  theme: "Thème",
  audience: "Public",
  genre: "Genre",
  actionType: "Type d'action",
  yearMin: "Année, à partir de",
  yearMax: "Année, jusqu'à",
  language: "Langue parlée",
  accessibility: "Accessibilité",
  hasCaptions: "Sous-titres",
  hasAudioDescription: "Audiodescription",
  hasSignLanguage: "Langue des signes",
  any: "Tous",
  ordering: "Trier par",
  orderNewest: "Plus récents",
  orderOldest: "Plus anciens",
  orderTitle: "Titre (A à Z)",
  orderTitleDesc: "Titre (Z à A)",
  orderYear: "Année (croissante)",
  orderYearDesc: "Année (décroissante)",
  apply: "Appliquer",
  reset: "Effacer les filtres",
  results: (n: number) => (n === 0 ? "Aucun film" : n === 1 ? "1 film" : `${n} films`),
  noFilm: "Aucun film ne correspond à ces filtres.",
  badFilters: "Certains filtres ne sont pas valables et n'ont pas été appliqués :",
  pagination: "Pages",
  previous: "Page précédente",
  next: "Page suivante",
  pageN: (n: number, total: number) => `Page ${n} sur ${total}`,
  synopsis: "Synopsis",
  easyRead: "Facile à lire et à comprendre (FALC)",
  workshop: "L'atelier",
  credits: "Générique",
  carryingStructure: "Structure porteuse",
  facilitators: "Intervenants",
  participants: "Participants",
  ageRange: (min: number | null, max: number | null) =>
    min && max ? `de ${min} à ${max} ans` : min ? `à partir de ${min} ans` : max ? `jusqu'à ${max} ans` : "",
  place: "Lieu",
  partnerCinema: "Cinéma partenaire",
  socialPartner: "Partenaire social",
  dates: "Dates",
  relatedGuides: "Guides pédagogiques liés",
  captionsBadge: "Sous-titré",
  sdhBadge: "Sous-titres pour sourds et malentendants",
  audioDescriptionBadge: "Audiodescription",
  signLanguageBadge: "Langue des signes",
  videoNotReady: "La vidéo de ce film n'est pas encore prête.",
  noVideo: "Ce film n'a pas encore de vidéo en ligne.",
  videoFallback: "Votre navigateur ne lit pas cette vidéo.",
  audioDescriptionVersion: "Version audiodécrite",
  originalVersion: "Version sans audiodescription",
  year: "Année",
  minutes: (s: number) => (s < 60 ? `${Math.round(s)} s` : `${Math.round(s / 60)} min`),
  guidesTitle: "Guides pédagogiques",
  guidesIntro: "Des fiches et des dossiers pour mener un atelier d'éducation aux images.",
  noGuide: "Aucun guide pour l'instant.",
  download: "Télécharger",
  pdf: (pages: number | null) => (pages ? `PDF, ${pages} pages` : "PDF"),
  partnersOnly: "Réservé aux partenaires du réseau",
  relatedFilms: "Films liés",
  coordinationsTitle: "Les coordinations régionales",
  coordinationsIntro: "Les coordinations font vivre Passeurs d'images dans chaque région.",
  region: "Région",
  website: "Site web",
  contacts: "Contacts",
  filmsOf: "Films de la coordination",
  guidesOf: "Guides de la coordination",
  seeAllFilms: "Voir tous ses films dans le catalogue",
  toBeConfirmed: "Coordination à confirmer",
  searchTitle: "Rechercher",
  searchLabel: "Rechercher un film, un guide ou une page",
  searchButton: "Rechercher",
  didYouMean: "Vouliez-vous dire",
  searchedFor: (q: string) => `Résultats pour « ${q} »`,
  anyWord: "Aucun résultat ne contient tous les mots : voici ceux qui en contiennent au moins un.",
  noResult: "Aucun résultat.",
  searchResults: (n: number) => (n === 0 ? "Aucun résultat" : n === 1 ? "1 résultat" : `${n} résultats`),
  searchTooLong: "La recherche est trop longue : 500 caractères au plus.",
  searchInvalid: "Cette recherche n'a pas pu être faite :",
  type: "Type",
  typeFilm: "Film",
  typeGuide: "Guide",
  typePage: "Page",
  all: "Tout",
  notFoundTitle: "Page introuvable",
  notFound: "Cette page n'existe pas ou n'est pas publique.",
  backHome: "Retour à l'accueil",
  unavailableTitle: "Site momentanément indisponible",
  unavailable: "Le site ne parvient pas à joindre le catalogue. Réessayez dans quelques minutes.",
  partnerSpace: "Espace partenaires",
  previewTitle: "Aperçu",
  previewBanner: "Aperçu du brouillon : cette version n'est pas publiée.",
  previewExpired: "Ce lien d'aperçu a expiré : relancez l'aperçu depuis l'administration.",
  previewUnavailable: "Aperçu indisponible.",
  partnerSoon: "L'espace des structures partenaires ouvrira bientôt sur ce site.",
  languages: { fr: "Français", en: "Anglais" } as Record<string, string>,
};

type Dictionary = typeof fr;

const en: Dictionary = {
  siteName: "Passeurs d'images",
  skip: "Skip to content",
  mainNav: "Main navigation",
  home: "Home",
  films: "Films",
  guides: "Guides",
  coordinations: "Coordinations",
  search: "Search",
  siteSearch: "Search the site",
  otherLanguage: "Français",
  otherLanguageLabel: "Lire cette page en français",
  footer: "Passeurs d'images, the national image-education network",
  apiDocs: "Network API",
  catalogueTitle: "Workshop films",
  catalogueIntro: "Films made by the participants of Passeurs d'images workshops.",
  filters: "Filter the films",
  coordination: "Coordination",
  theme: "Theme",
  audience: "Audience",
  genre: "Genre",
  actionType: "Type of action",
  yearMin: "Year, from",
  yearMax: "Year, until",
  language: "Spoken language",
  accessibility: "Accessibility",
  hasCaptions: "Captions",
  hasAudioDescription: "Audio description",
  hasSignLanguage: "Sign language",
  any: "All",
  ordering: "Sort by",
  orderNewest: "Newest",
  orderOldest: "Oldest",
  orderTitle: "Title (A to Z)",
  orderTitleDesc: "Title (Z to A)",
  orderYear: "Year (ascending)",
  orderYearDesc: "Year (descending)",
  apply: "Apply",
  reset: "Clear the filters",
  results: (n: number) => (n === 0 ? "No film" : n === 1 ? "1 film" : `${n} films`),
  noFilm: "No film matches these filters.",
  badFilters: "Some filters are not valid and were not applied:",
  pagination: "Pages",
  previous: "Previous page",
  next: "Next page",
  pageN: (n: number, total: number) => `Page ${n} of ${total}`,
  synopsis: "Synopsis",
  easyRead: "Easy to read",
  workshop: "The workshop",
  credits: "Credits",
  carryingStructure: "Organiser",
  facilitators: "Facilitators",
  participants: "Participants",
  ageRange: (min: number | null, max: number | null) =>
    min && max ? `aged ${min} to ${max}` : min ? `aged ${min} and over` : max ? `aged up to ${max}` : "",
  place: "Place",
  partnerCinema: "Partner cinema",
  socialPartner: "Social partner",
  dates: "Dates",
  relatedGuides: "Related teaching guides",
  captionsBadge: "Captioned",
  sdhBadge: "Captions for the deaf and hard of hearing",
  audioDescriptionBadge: "Audio description",
  signLanguageBadge: "Sign language",
  videoNotReady: "This film's video is not ready yet.",
  noVideo: "This film has no video online yet.",
  videoFallback: "Your browser cannot play this video.",
  audioDescriptionVersion: "Audio-described version",
  originalVersion: "Version without audio description",
  year: "Year",
  minutes: (s: number) => (s < 60 ? `${Math.round(s)} s` : `${Math.round(s / 60)} min`),
  guidesTitle: "Teaching guides",
  guidesIntro: "Sheets and booklets to run an image-education workshop.",
  noGuide: "No guide yet.",
  download: "Download",
  pdf: (pages: number | null) => (pages ? `PDF, ${pages} pages` : "PDF"),
  partnersOnly: "For the network's partners",
  relatedFilms: "Related films",
  coordinationsTitle: "Regional coordinations",
  coordinationsIntro: "The coordinations run Passeurs d'images in each region.",
  region: "Region",
  website: "Website",
  contacts: "Contacts",
  filmsOf: "Films of the coordination",
  guidesOf: "Guides of the coordination",
  seeAllFilms: "See all its films in the catalogue",
  toBeConfirmed: "Coordination to be confirmed",
  searchTitle: "Search",
  searchLabel: "Search for a film, a guide or a page",
  searchButton: "Search",
  didYouMean: "Did you mean",
  searchedFor: (q: string) => `Results for “${q}”`,
  anyWord: "No result holds every word: here are those holding at least one.",
  noResult: "No result.",
  searchResults: (n: number) => (n === 0 ? "No result" : n === 1 ? "1 result" : `${n} results`),
  searchTooLong: "The search is too long: 500 characters at most.",
  searchInvalid: "This search could not be made:",
  type: "Type",
  typeFilm: "Film",
  typeGuide: "Guide",
  typePage: "Page",
  all: "All",
  notFoundTitle: "Page not found",
  notFound: "This page does not exist or is not public.",
  backHome: "Back to the home page",
  unavailableTitle: "Site temporarily unavailable",
  unavailable: "The site cannot reach the catalogue. Please try again in a few minutes.",
  partnerSpace: "Partner space",
  previewTitle: "Preview",
  previewBanner: "Draft preview: this version is not published.",
  previewExpired: "This preview link has expired: start the preview again from the admin.",
  previewUnavailable: "Preview unavailable.",
  partnerSoon: "The partner organisations' space will open on this site soon.",
  languages: { fr: "French", en: "English" },
};

const dictionaries: Record<Lang, Dictionary> = { fr, en };

export function t(lang: Lang): Dictionary {
  return dictionaries[lang];
}

export function other(lang: Lang): Lang {
  return lang === "fr" ? "en" : "fr";
}

/** The site's own routes, by language: French paths at /, English ones under /en/. */
const ROUTES = {
  home: { fr: "/", en: "/en/" },
  films: { fr: "/films/", en: "/en/films/" },
  guides: { fr: "/guides/", en: "/en/guides/" },
  coordinations: { fr: "/coordinations/", en: "/en/coordinations/" },
  search: { fr: "/recherche/", en: "/en/search/" },
  partners: { fr: "/espace-partenaires/", en: "/en/espace-partenaires/" },
} as const;

export type Route = keyof typeof ROUTES;

export function route(lang: Lang, name: Route): string {
  return ROUTES[name][lang];
}

/** A path of the site in a language: "/films/12-x/" in French is "/en/films/12-x/" in English. */
export function localePath(lang: Lang, path: string): string {
  const clean = path.startsWith("/") ? path : `/${path}`;
  if (lang === "fr") return clean;
  return clean === "/" ? "/en/" : `/en${clean}`;
}

/**
 * Splits a requested path into its language and the locale-free path the
 * route files answer: "/en/search/" is English "/recherche/".
 */
export function splitLocale(pathname: string): { lang: Lang; path: string } {
  if (pathname === "/en" || pathname.startsWith("/en/")) {
    let path = pathname.slice(3) || "/";
    if (path === "/search" || path.startsWith("/search/")) path = `/recherche${path.slice(7)}`;
    return { lang: "en", path };
  }
  return { lang: "fr", path: pathname };
}

export function slugify(text: string): string {
  return text
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
}

export function formatDate(lang: Lang, iso: string | null | undefined): string {
  if (!iso) return "";
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return "";
  return new Intl.DateTimeFormat(lang === "fr" ? "fr-FR" : "en-GB", { dateStyle: "long", timeZone: "UTC" }).format(date);
}
