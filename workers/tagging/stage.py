"""The tag stage: unique item in, enriched item out."""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from dataclasses import dataclass, replace

from workers import __version__
from workers.records import EnrichedItem, Entity, EntityLink, EntityType, Mention, UniqueItem
from workers.settings import TaggingSettings
from workers.tagging.knowledge import (
    Gazetteer,
    Link,
    choose,
    context_words,
    link_all,
    load_entities,
)
from workers.tagging.link_rules import (
    adjective_compounds,
    attributive,
    defined_apart,
    full_names,
    given_names_of_others,
    glued_surname,
    linked_people,
    linked_surnames,
    named_in_full,
    noun_in_noun_phrase,
    noun_not_town,
    office_holders,
    parts,
    products,
    relatives,
    subject_after_verb,
    team,
    town_adjective_links,
    town_adjectives,
    trim,
)
from workers.tagging.names import (
    NameFinder,
    Span,
    compound_noun,
    load_cues,
    strip_genitive,
)
from workers.tagging.ner import PARTICLES, NamedSpan, NameTagger
from workers.tagging.taxonomy import load_taxonomy, score_topics
from workers.tagging.unlinked import unlinked_key, without_legal_form

GLUE = frozenset("-‐/")
#: forms of address: a place's name after them is a person's ("Frau Paris")
ADDRESS = frozenset({"Frau", "Herr", "Herrn", "Dr.", "Prof."})
#: the words of a name, without its hyphens, slashes and spaces
WORD_PART = re.compile(r"[^\W\d_]+")
#: the words in lower case that names have besides a person's particles ("Frankfurt am
#: Main", "Bundesamt für Verfassungsschutz", "University of Toronto")
NAME_WORDS = PARTICLES | frozenset(
    {"am", "an", "auf", "aus", "bei", "im", "in", "für", "und", "unter", "zum", "zur",
     "of", "on", "the", "and", "for", "sur", "y", "e"}
)  # fmt: skip
#: the capitalised word right before a match (a given name: "Gottlieb Daimler")
GIVEN_BEFORE = re.compile(r"(?<![^\W\d_])([A-ZÄÖÜ][a-zäöüß]+) $")
#: a capitalised word after "und"/"oder"/"sowie" right behind a name
COORDINATED = re.compile(r" (?:und|oder|sowie) ([A-ZÄÖÜ][^\W\d_]+(?:-[^\W\d_]+)*)\b")


@dataclass
class _Found:
    """One entity of one text while it is being collected."""

    key: str
    id: str | None
    name: str
    type: EntityType
    mentions: list[Mention]
    link: EntityLink | None = None
    in_title: bool = False


def _clause(name: str) -> bool:
    """Does the tagger's name hold a word in lower case that no name has ("greifen"), where
    names have only particles ("Frankfurt am Main", "Bundesamt für Verfassungsschutz",
    "Jaap de Hoop Scheffer", "Rafik al-Hariri")?"""
    return any(
        w[:1].islower() and w not in NAME_WORDS and "-" not in w and "." not in w
        for w in name.split()[1:]
    )


def _glued(text: str, start: int, end: int) -> bool:
    """Is text[start:end] joined to a word by a hyphen or slash ("Zaren-Russland")?"""
    return text[start - 1 : start] in GLUE or text[end : end + 1] in GLUE


def _addressed(
    titles: frozenset[str],
    text: str,
    links: list[tuple[int, int, Link]],
    found: list[NamedSpan],
) -> tuple[list[tuple[int, int, Link]], list[NamedSpan]]:
    """A one-word match right after a form of address or a title ("Frau Wagner", "Herr
    Opel", "Pfarrer Wagner", "Ex-BVB-Coach Wagner") is a person of that name, not the
    company or group the knowledge base has. Not a genitive ("Gouverneur Kaliforniens"),
    and a place only after a form of address ("Frau Paris", not "Präsident Georgia")."""
    kept, people = [], []
    for start, end, link in links:
        word = text[max(0, start - 40) : start]
        title = word.split()[-1].split("-")[-1] if word.strip() and word[-1:] == " " else ""
        form = text[start:end]
        entity = link.entity
        genitive = form not in (entity.name, *entity.aliases) and form.endswith("s")
        if entity.type == "LOC" and title not in ADDRESS:
            title = ""
        if entity.type != "PER" and " " not in form and not genitive and title in titles:
            people.append(NamedSpan(start, end, text[start:end], "PER"))
        else:
            kept.append((start, end, link))
    if not people:
        return links, found
    return kept, _with_people(found, people)


def _with_people(found: list[NamedSpan], people: list[NamedSpan]) -> list[NamedSpan]:
    """The tagger's names with these people in place of the names they overlap."""
    rest = [f for f in found if not any(p.start < f.end and f.start < p.end for p in people)]
    return sorted([*rest, *people], key=lambda f: f.start)


def one_type(
    title: list[NamedSpan | Span], text: list[NamedSpan | Span], surnames: dict[str, str]
) -> tuple[list[NamedSpan | Span], list[NamedSpan | Span]]:
    """One type for every mention of an unlinked name in one item, so that it has one id:
    the type most of its mentions have (the first mention's on a tie), and a person's for
    the surname of a person the item names in full ("Nico Rosberg ... Rosberg" though the
    tagger took the lone "Rosberg" for a place). The tagger's type is a guess per
    sentence; an id that changed with it split one person into two."""
    spans = [*title, *text]
    if not spans:
        return title, text
    texts = {span.text for span in spans}

    def bare(text: str) -> str:
        """The name without its genitive s, where the item has it so too ("Markus Wendtners")."""
        name = strip_genitive(text, surnames)
        return name[:-1] if name.endswith("s") and name[:-1] in texts else name

    votes: dict[str, list[str]] = defaultdict(list)
    for span in spans:
        name = bare(span.text)
        if span.type is not None and (name not in surnames or name.isupper()):
            votes[name.casefold()].append(span.type)
    chosen = {}
    for name, types in votes.items():
        if len(set(types)) > 1:
            chosen[name] = max(types, key=lambda t: (types.count(t), -types.index(t)))

    def retyped(span: NamedSpan | Span) -> NamedSpan | Span:
        name = bare(span.text)
        # not an abbreviation the tagger put after a name ("Kurdistans PKK"), nor a word of
        # a "full name" with lower-case words ("Calvi unweit von Palma de Mallorca")
        person = (
            name in surnames
            and not name.isupper()
            and all(w[:1].isupper() or glued_surname(w) for w in surnames[name].split())
        )
        wanted = "PER" if person else chosen.get(name.casefold(), span.type)
        return span if wanted == span.type else replace(span, type=wanted)

    return [retyped(s) for s in title], [retyped(s) for s in text]


class Tagger:
    """Knowledge base, name tagger and taxonomy, loaded and validated once at start."""

    def __init__(self, settings: TaggingSettings) -> None:
        self.settings = settings
        self.gazetteer = Gazetteer(load_entities(settings.entities_file))
        cues = load_cues(settings.cues_file)
        self.kin = cues.kin
        self.adjectives = cues.attributive
        self.towns = town_adjectives(self.gazetteer.lookup, cues)
        # "eine Truppe namens Wagner" is the group
        self.titles = (cues.person_before | cues.addressed) - {"namens"}
        self.ner: NameTagger | None = None
        self.names: NameFinder | None = None
        if settings.unlinked and settings.ner_model is not None:
            self.ner = NameTagger(settings.ner_model, cues, self.gazetteer.lookup)
        elif settings.unlinked:
            self.names = NameFinder(cues)
        self.rules = load_taxonomy(settings.topics_file)
        digest = hashlib.sha256()
        data = [settings.entities_file, settings.topics_file, settings.cues_file]
        if self.ner is not None and settings.ner_model is not None:
            data.append(settings.ner_model)
        for path in data:
            digest.update(path.read_bytes())
        digest.update(b"unlinked" if settings.unlinked else b"linked-only")
        #: changes whenever the code or the tagging data change (replay compares it)
        self.pipeline_version = f"{__version__}+{digest.hexdigest()[:8]}"

    def _nominative(self, name: str, after: str) -> str:
        """'Friedrich Schiller' for 'Friedrich Schillers' ("Friedrich Schillers Drama"): a
        full name whose last word is a known surname with a genitive s, and not itself a
        known name ("Hans Peters" stays), so both spellings have one id; ``after``, the
        text after the name: a genitive goes before a noun ("Mats Hummels verletzte sich"
        is no genitive of Hummel)."""
        words = name.split()
        known = self.ner.features.names if self.ner is not None else {}
        last = words[-1] if len(words) > 1 else ""
        genitive = after[:1] == " " and after[1:2].isupper()
        if (
            genitive
            and last.endswith("s")
            and "s" in known.get(last[:-1], "")
            and last not in known
        ):
            return " ".join([*words[:-1], last[:-1]])
        return name

    @property
    def topic_ids(self) -> list[str]:
        return [rule.id for rule in self.rules]

    # -- entities --------------------------------------------------------------------------

    def _lookup(self, text: str, span: NamedSpan, words: frozenset[str]) -> Link | None:
        """A name the tagger found, looked up in the knowledge base (villages too)."""
        lookup = self.gazetteer.lookup
        forms = (span.text, strip_genitive(span.text, lookup))
        if span.type == "ORG":
            forms += (without_legal_form(span.text),)
        for form in forms:
            candidates = tuple(e for e in lookup.get(form, ()) if e.type == span.type)
            if candidates:
                return choose(candidates, text, span.start, span.end, words)
        return None

    def _combine(
        self,
        text: str,
        words: frozenset[str],
        linked: list[tuple[int, int, Link]],
        found: list[NamedSpan],
    ) -> tuple[list[tuple[int, int, Link]], list[NamedSpan]]:
        """Knowledge-base matches win over the tagger's spans, except where the tagger's
        name holds them and is longer, and either of another type ("Universität Kiew" is
        an organisation) or made of names beside them ("Walter Wagner" is not the
        composer)."""
        assert self.ner is not None
        lookup = self.gazetteer.lookup
        linked, found = self._founders(text, linked, found)
        found = [self._place_after_word(f) for f in found]
        found = [t for t in (trim(lookup, f) for f in found) if t is not None]
        found = [team(lookup, f) for f in found]
        found = [f for f in found if not noun_not_town(lookup, text, f)]
        kinds = self.ner.features.nouns
        found = [f for f in found if not noun_in_noun_phrase(lookup, kinds, text, f)]
        linked, found = _addressed(self.titles, text, linked, found)
        # a source-built entry without a source's Wikidata id (a village called "Mars"; a
        # city Natural Earth gave its id, "Columbia") counts only where the tagger sees a
        # name too
        links = [
            x
            for x in linked
            if x[2].entity.priority >= 0
            or x[2].entity.notable
            or any(s.start < x[1] and x[0] < s.end for s in found)
        ]
        unlinked = []
        for span in found:
            inside = [x for x in links if x[0] < span.end and x[1] > span.start]
            if inside:
                contained = all(span.start <= s and e <= span.end for s, e, _ in inside)
                longer = span.end - span.start > max(e - s for s, e, _ in inside)
                # a MISC entry (the ship "Deutschland") is nothing the tagger could name
                other = all(link.entity.type not in (span.type, "MISC") for _, _, link in inside)
                if not (contained and longer and (other or self._named_rest(text, span, inside))):
                    continue
                if _clause(span.text):
                    continue  # "Russische Truppen greifen Awdijiwka": a clause, no name
                # a match glued to the rest ("Zaren-Russland", "Darmstadt/Berlin") or a town's
                # adjective ("Mariupoler Stahlwerk Asowstal") stays a mention of its own: the
                # analyst follows Russland and Mariupol through it
                links = [
                    x
                    for x in links
                    if x not in inside
                    or _glued(text, x[0], x[1])
                    or text[x[0] : x[1]] in self.towns.towns
                ]
            link = self._lookup(text, span, words)
            if link is not None:
                links.append((span.start, span.end, link))
            else:
                unlinked.append(span)
        unlinked += self._coordinated(text, links, unlinked)
        taken = [(s, e, x.entity.type) for s, e, x in links]
        taken += [(s.start, s.end, s.type or "") for s in unlinked]
        unlinked += subject_after_verb(kinds, text, taken, self.ner.features.names)
        return sorted(links, key=lambda x: x[0]), unlinked

    def _founders(
        self, text: str, linked: list[tuple[int, int, Link]], found: list[NamedSpan]
    ) -> tuple[list[tuple[int, int, Link]], list[NamedSpan]]:
        """A company of one word after a given name is its founder: "Gottlieb Daimler",
        "Adam Opel" are people (the tagger, told the word is a company, may not say so)."""
        assert self.ner is not None
        names, given = self.ner.features.names, self.ner.features.cues.given_names
        kept, people = [], []
        for start, end, link in linked:
            before = GIVEN_BEFORE.search(text, max(0, start - 30), start)
            first = before.group(1) if before else ""
            if (
                link.entity.type != "ORG"
                or " " in text[start:end]
                or not (first in given or names.get(first) in ("g", "gs"))
                or first in self.gazetteer.lookup
            ):
                kept.append((start, end, link))
                continue
            people.append(NamedSpan(before.start(1), end, text[before.start(1) : end], "PER"))
        return kept, _with_people(found, people)

    def _place_after_word(self, span: NamedSpan) -> NamedSpan:
        """The tagger's organisation or person that begins with a word announcing a place
        ("Ortschaft Pryvilne", "Dorf Rosenau") is the place after it, as the cue says
        (GermEval's dev gold has no ORG or PER beginning with such a word); any other span
        as it is."""
        assert self.ner is not None
        first, _, rest = span.text.partition(" ")
        if span.type == "LOC" or not rest[:1].isupper():
            return span
        if first not in self.ner.features.cues.place_before:
            return span
        return NamedSpan(span.end - len(rest), span.end, rest, "LOC")

    def _named_rest(self, text: str, span: NamedSpan, inside: list[tuple[int, int, Link]]) -> bool:
        """Is the rest of the tagger's name, beside the knowledge-base matches in it, made
        of names too ("Sachsen-Anhalt" over "Sachsen", "Santa Cruz/Madrid" over "Madrid")?
        Then the tagger's longer name is the name. Not when the rest is a plain word
        ("Wagner-Chef Prigoschin" stays Wagner and Prigoschin)."""
        assert self.ner is not None
        rest = list(text[span.start : span.end])
        for s, e, _ in inside:
            rest[s - span.start : e - span.start] = " " * (e - s)
        words = WORD_PART.findall("".join(rest))
        # the entry's own cue is no name ("Fregatte Deutschland" is the ship)
        cues = frozenset().union(*(link.entity.local | link.entity.before for _, _, link in inside))
        return bool(words) and all(self.ner.is_candidate(w) and w not in cues for w in words)

    def _coordinated(
        self, text: str, links: list[tuple[int, int, Link]], spans: list[NamedSpan]
    ) -> list[NamedSpan]:
        """ "Kupjansk und Horochowatka": a name-like word joined to a name by "und",
        "oder", "sowie" is a name of the same type."""
        assert self.ner is not None
        taken = [(s, e) for s, e, _ in links] + [(s.start, s.end) for s in spans]
        named = [(e, link.entity.type) for _, e, link in links] + [(s.end, s.type) for s in spans]
        out = []
        for end, type_ in named:
            if type_ not in ("PER", "LOC", "ORG"):
                continue
            m = COORDINATED.match(text, end)
            if m is None or not self.ner.is_candidate(m.group(1)):
                continue
            if compound_noun(m.group(1).lower()):
                continue  # "Bauern und Biobauer": a common noun
            start, stop = m.span(1)
            if not any(s < stop and start < e for s, e in taken):
                out.append(NamedSpan(start, stop, m.group(1), type_))
                taken.append((start, stop))
        return out

    def _hint(self, text: str, start: int, end: int, link: Link) -> bool:
        """Is this match a hint to the tagger? Not a source-built place that counts only where
        the tagger sees a name (`_combine`), called like a given name and followed by a
        capitalised word: told that "Victoria" (a village) and "Rosa" are places, it loses
        "Beckham" and "Luxemburg" ("Palma de Mallorca" keeps its hint)."""
        entity = link.entity
        if entity.priority >= 0 or entity.notable or self.ner is None:
            return True
        after = text[end : end + 2]
        surname = len(after) == 2 and after[0] == " " and after[1].isupper()
        return not (surname and self.ner.is_given_name(text[start:end]))

    def _spans(
        self, text: str, words: frozenset[str] | None = None
    ) -> tuple[list[tuple[int, int, Link]], list[NamedSpan | Span]]:
        """The text's linked and unlinked names; ``words`` (the text's own by default) speak
        for candidates: the whole item's in `entities`, so that "Frankreich: Kommunisten ..."
        speaks for the French PCF of the body and the body's golf course for the "Golf" of
        its headline."""
        words = context_words(text) if words is None else words
        linked = town_adjective_links(
            self.towns, self.gazetteer.lookup, text, link_all(self.gazetteer, text, words)
        )
        if linked:
            linked = adjective_compounds(text, attributive(self.adjectives, text, linked))
        covered = [
            (s, e, link.entity.type) for s, e, link in linked if self._hint(text, s, e, link)
        ]
        if self.ner is not None and text:
            links, spans = self._combine(text, words, linked, self.ner.find(text, covered))
        elif self.names is not None and text:
            links, spans = linked, list(self.names.find(text, covered))
        else:
            links, spans = linked, []
        if not links:
            return links, spans
        # after the tagger's names too: it may name "Porsche" of "Porsche 911" itself
        links = products(self.gazetteer.lookup, text, links)
        links = office_holders(text, parts(self.gazetteer.lookup, text, links), spans)
        links = given_names_of_others(text, links)
        return relatives(self.kin, text, defined_apart(text, links)), spans

    def entities(self, title: str, text: str) -> list[Entity]:
        lead_end = text.find("\n\n") if "\n\n" in text else len(text)
        found: dict[str, _Found] = {}

        def linked_key(start: int, end: int, source: str, link: Link) -> str:
            entity = link.entity
            if entity.key not in found:
                alias = EntityLink(method=link.method, alias=source[start:end], score=link.score)
                found[entity.key] = _Found(
                    entity.key, entity.wikidata, entity.name, entity.type, [], alias
                )
            return entity.key

        def unlinked_name(span: NamedSpan | Span, source: str) -> tuple[str, str]:
            assert span.type is not None
            name = strip_genitive(span.text, surnames)
            if span.type == "PER":
                name = surnames.get(name, name)
                after = source[span.end : span.end + 2]
                name = self._nominative(name, after) if name == span.text else name
            return name, unlinked_key(span.type, name)

        def unlinked_keys(spans: list[NamedSpan | Span]) -> list[str]:
            keys = []
            for span in spans:
                assert span.type is not None
                name, key = names[span]
                if key.endswith("s") and key[:-1] in bare_keys:
                    key = key[:-1]  # "Ebu Tejmas" is the item's "Ebu Tejma"
                if key not in found:
                    found[key] = _Found(key, None, name, span.type, [])
                elif len(name) < len(found[key].name):
                    found[key].name = name
                keys.append(key)
            return keys

        words = context_words(text) | context_words(title)
        linked, unlinked = self._spans(text, words)
        title_linked, title_unlinked = self._spans(title, words)
        # a surname alone joins the full name it ends ("Kulazhanka" -> "Pavel Kulazhanka")
        surnames = full_names([*title_unlinked, *unlinked])
        title_unlinked, unlinked = one_type(title_unlinked, unlinked, surnames)
        if surnames:
            lookup = self.gazetteer.lookup
            linked, unlinked = named_in_full(lookup, text, linked, unlinked, surnames)
            title_linked, title_unlinked = named_in_full(
                lookup, title, title_linked, title_unlinked, surnames
            )
        # a surname alone is the person the item names in full through the knowledge base
        people = {**linked_people(title, title_linked), **linked_people(text, linked)}
        people = {s: link for s, link in people.items() if s not in surnames}
        if people:
            linked, unlinked = linked_surnames(self.kin, text, linked, unlinked, people)
            title_linked, title_unlinked = linked_surnames(
                self.kin, title, title_linked, title_unlinked, people
            )
        names = {span: unlinked_name(span, title) for span in title_unlinked}
        names |= {span: unlinked_name(span, text) for span in unlinked}
        bare_keys = {key for _, key in names.values()}
        for start, end, link in linked:
            found[linked_key(start, end, text, link)].mentions.append(
                Mention(text=text[start:end], start=start, end=end)
            )
        for key, span in zip(unlinked_keys(unlinked), unlinked, strict=True):
            found[key].mentions.append(Mention(text=span.text, start=span.start, end=span.end))
        for start, end, link in title_linked:
            found[linked_key(start, end, title, link)].in_title = True
        for key in unlinked_keys(title_unlinked):
            found[key].in_title = True

        result = [
            Entity(
                id=f.id,
                key=f.key,
                name=f.name,
                type=f.type,
                mentions=sorted(f.mentions, key=lambda m: m.start),
                count=len(f.mentions),
                in_title=f.in_title,
                in_lead=any(m.start < lead_end for m in f.mentions),
                link=f.link,
            )
            for f in found.values()
        ]
        return sorted(result, key=lambda e: (not e.in_title, -e.count, e.name))

    # -- the stage -------------------------------------------------------------------------

    def tag(self, item: UniqueItem) -> EnrichedItem:
        entities = self.entities(item.title, item.text)
        lead, _, body = item.text.partition("\n\n")
        # an entity answers to its Wikidata id, its name and its key (taxonomy cues use any)
        keys = (
            {e.id for e in entities if e.id}
            | {f"name:{e.name}" for e in entities}
            | {e.key for e in entities if e.key}
        )
        # the forms that named each place: a cue may ask which side held it (Melitopol)
        places = {
            form: e.key
            for e in entities
            if e.type == "LOC" and e.key
            for form in (e.name, *(m.text for m in e.mentions), e.link.alias if e.link else "")
            if form
        }
        topics = score_topics(self.rules, item.title, lead, body, keys, places)
        return EnrichedItem(
            **item.model_dump(exclude={"schema_version"}),
            entities=entities,
            topics=topics,
            pipeline_version=self.pipeline_version,
        )
