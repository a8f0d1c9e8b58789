"""Who is who in minutes: attendee entries and action owners.

Attendee lines name an organisation then a person ("Home Office   Ann Vale
MP CHAIR", "DfE  Official (for Tom Reed MP - via videolink)"); in some
extractions a whole list is run together on one line. Action owners are a
leading phrase ("MOJ and AGO/CPS to ...") or a trailing bracket ("(Home
Office)"). A resolver, when given, decides where an organisation's name
ends; without one a small lexicon of the words bodies are named with
stands in.
"""
from __future__ import annotations

import re

from htkg.errors import HtkgError

#: Seats in a legislature: what a member's post-nominal says about them.
OFFICES = {"MP", "MSP", "MLA", "AM", "MS", "MEP"}
POST_NOMINALS = OFFICES | {"QC", "KC", "OBE", "CBE", "MBE", "KBE", "DBE", "GBE", "QPM", "KPM",
                           "KCB", "DL"}
#: A member of a devolved legislature, and the words that name bodies of their nation:
#: beside an MLA, "the Executive" is the Northern Ireland Executive. (The Welsh Assembly
#: Government is a body of its own, succeeded by the Welsh Government in 2011: beside
#: an AM, "the Government" is read as the Welsh Government.)
SEATS = {"MLA": ("Northern Ireland", ["Northern Ireland"]),
         "MSP": ("Scotland", ["Scottish"]),
         "AM": ("Wales", ["Welsh"]),
         "MS": ("Wales", ["Welsh"])}
HONORIFICS = {"Baroness", "Lord", "Lady", "Sir", "Dame", "Dr", "Mr", "Mrs", "Ms", "Miss", "Rt",
              "Professor", "Prof", "Cllr", "Councillor"}
DEVOLVED = {"scotland": ("Scottish Government", "scottish-government"),
            "wales": ("Welsh Government", "welsh-government"),
            "northern ireland": ("Northern Ireland Executive", "northern-ireland-executive")}
_HEAD = set("""Office Government Executive Assembly Department Centre Center Agency Authority
Service Services Council Ministry Commission Commissioner Police Unit Trust Society Network
Partnership Board Forum Group Directorate Inspectorate Court Courts Tribunal Customs Mail Force
Administration Helpline Alliance Army Aid Team""".split())
_ORG_WORDS = _HEAD | set("""Home Foreign Commonwealth Cabinet Scotland Scottish Wales Welsh
Northern Ireland Irish England English UK United Kingdom HM Her Majesty's Majesty’s National Crime
Border Health Justice Education Work Pensions Business Innovation Skills Energy Communities Local
International Development Transport Culture Media Sport Defence Treasury Attorney General's
General’s Solicitor Human Trafficking Gangmasters Licensing Labour Abuse Immigration Visas
Enforcement Serious Organised Children Children's Children’s Family Equalities Public
Prosecution Prosecutor Crown Revenue Legal Advocate Royal Metropolitan Environment Food Rural
Affairs Social Care Security Revenue Statistics Salvation Migrant Refugee""".split())
_PREFIX_ACRONYMS = {"HM", "UK", "NHS", "EU", "UN"}
_CONNECT = {"of", "for", "and", "the", "&", "on"}
_VERBS = set("""Write Update Introduce Ask Consider Circulate Provide Send Share Set Arrange Agree
Report Invite Seek Explore Develop Produce Prepare Review Draft Speak Liaise Respond Contact Feed
Look Check Take Bring Return Reply Refer Confirm Identify Scope Ensure Establish Hold Organise
Publish Discuss Include Raise Lead Work Members Ministers All Officials Secretariat Group""".split())
_REMOTE_RE = re.compile(r"\s*(?:\(\s*(?:via|by)\s+(?:video\s*-?\s*link|video\s*conference|"
                        r"tele(?:phone|conference)|phone)\s*\)|[–—-]?\s*\b(?:via|by)\s+"
                        r"(?:video\s*-?\s*link|video\s*conference|tele(?:phone|conference)|phone))",
                        re.I)
_CHAIR_RE = re.compile(r"\s*(?:\(\s*chair\s*\)|\bCHAIR\b|\bChair$|\bin the chair\b)", re.I)
_BEHALF_RE = re.compile(r"\(\s*(?:for|on behalf of|representing)\s+([^()]*?)\s*(?:\)|$)"
                        r"|\b(?:for|on behalf of)\s+(.+)$", re.I)
_OFFICIAL_RE = re.compile(r"\bOfficials?\b", re.I)
_LEAD_RE = re.compile(r"^(?P<o>[A-Z(][^\n]{0,80}?)\s+to\s+(?=[a-z])")
_TRAIL_RE = re.compile(r"\((?P<o>[^()]{2,80})\)\s*[.;]?$")
_SPLIT_RE = re.compile(r"(\s*,\s*|\s+and\s+|\s*&\s*|\s*/\s*)")


class Names:
    """The resolver as the parser uses it (any of: None, a callable, a Resolver)."""

    def __init__(self, resolve=None):
        self._fn = getattr(resolve, "resolve", resolve)
        self._scan = getattr(resolve, "scan", None)
        self._label = getattr(resolve, "label", None)
        self._cache: dict[tuple, str | None] = {}
        self.unresolved: dict[str, int] = {}

    @property
    def active(self) -> bool:
        return self._fn is not None

    def lookup(self, name: str, label: str | None = None) -> str | None:
        key = (name, label)
        if key not in self._cache:
            self._cache[key] = self._call(name, label)
        return self._cache[key]

    def _call(self, name: str, label: str | None) -> str | None:
        if self._fn is None or not name.strip():
            return None
        try:
            if label is None:
                return self._fn(name)
            try:
                return self._fn(name, label=label)
            except TypeError:
                found = self._fn(name)
                return found if found and self.label_of(found) == label else None
        except (HtkgError, ValueError, KeyError, TypeError):
            return None

    def label_of(self, entity_id: str) -> str | None:
        if self._label is not None:
            try:
                return self._label(entity_id)
            except (HtkgError, ValueError, KeyError, TypeError):
                return None
        for prefix, label in (("person-", "Person"), ("country-", "Country"),
                              ("sector-", "Sector"), ("initiative-", "Initiative")):
            if entity_id.startswith(prefix):
                return label
        return "Organisation"

    def org(self, name: str, line: int | None = None) -> str | None:
        """The Organisation a name means; unresolved names are remembered with their line."""
        name = " ".join(name.split()).strip(" ,;:")
        found = self.lookup(name, "Organisation")
        if found is None and line is not None and self.active:
            self.unresolved.setdefault(name, line)
        return found

    def owner(self, name: str, line: int | None = None) -> str | None:
        """Like :meth:`org`, reading "Scotland" as the Scottish Government and so on."""
        devolved = DEVOLVED.get(" ".join(name.split()).casefold().removeprefix("the "))
        if devolved and self.active:
            return self.lookup(devolved[0], "Organisation") or devolved[1]
        return self.org(name, line)

    def org_beside(self, name: str, seat: str | None, line: int | None = None
                   ) -> tuple[str | None, str | None]:
        """(id, warning) for an attendee's organisation, read beside their seat.

        A short form ("the Executive", "the Assembly") beside a member whose
        post-nominal places them (MLA, MSP, AM, MS) is read as that nation's
        body when exactly one such body exists; a short form that stays
        unresolved comes back with a warning saying what to write.
        """
        plain = " ".join(name.split()).strip(" ,;:")
        found = self.lookup(plain, "Organisation")
        if found or not self.active:
            return self.org(plain, line), None
        bare = short_form(plain)
        if bare and seat in SEATS:
            nation, prefixes = SEATS[seat]
            ids = {self.lookup(f"{prefix} {bare}", "Organisation") for prefix in prefixes} - {None}
            if len(ids) == 1:
                return ids.pop(), None
            self.org(plain, line)
            return None, (f"'{plain}' beside an {seat} (a member in {nation}): no single body "
                          f"of {nation} is called '{bare}'; write the body's full name")
        self.org(plain, line)
        if bare:
            return None, f"'{plain}' is a short form htkg cannot place; write the body's full name"
        return None, None

    def person(self, name: str) -> str | None:
        return self.lookup(name, "Person")

    def scan(self, text: str) -> list[tuple[str, int, int]]:
        if self._scan is None:
            return []
        try:
            return [(i, s, e) for i, s, e in self._scan(text)]
        except (HtkgError, ValueError, KeyError, TypeError):
            return []


_GENERIC = {"Executive", "Government", "Assembly", "Parliament", "Department", "Office",
            "Ministry", "Administration", "Commissioner", "Police", "Service", "Council"}


def short_form(name: str) -> str | None:
    """The body's words when a name is a short form that needs its nation
    ("the Executive", "the Department of Justice"), else None.

    >>> short_form("the Executive"), short_form("The Department of Justice"), short_form("HMRC")
    ('Executive', 'Department of Justice', None)
    """
    words = name.split()
    if not words or words[0].casefold() != "the" or len(words) > 5:
        return None
    words = words[1:]
    if not words or words[0] not in _GENERIC:
        return None
    if not all(w[:1].isupper() or w.casefold() in _CONNECT for w in words):
        return None
    return " ".join(words)


def seat_of(*texts: str | None) -> str | None:
    """The devolved seat (MLA, MSP, AM, MS) a person's post-nominals give, if any.

    >>> seat_of("Fiona Gault OBE MLA"), seat_of(None, "Tom Reed MSP"), seat_of("Ann Vale MP")
    ('MLA', 'MSP', None)
    """
    for text in texts:
        for word in (text or "").replace(",", " ").split():
            if word in SEATS:
                return word
    return None


# -- attendees ----------------------------------------------------------------
def attendee_entries(text: str, names: Names) -> list[tuple[str, str]]:
    """Split an attendee line into (organisation, person part) entries.

    >>> attendee_entries("Home Office   Ann Vale MP CHAIR", Names())
    [('Home Office', 'Ann Vale MP CHAIR')]
    >>> attendee_entries("Home Office OfficialDfE Tom Reed MPWelsh Government Official", Names())
    [('Home Office', 'Official'), ('DfE', 'Tom Reed MP'), ('Welsh Government', 'Official')]
    """
    s = text.strip()
    tokens = _unglue(" ".join(s.split()), names).split()
    entries = _split(tokens, names)
    gap = re.search(r"(?<=\S)\s{2,}(?=\S)", s)
    if gap and len(entries) <= 2 and not (names.active and _org_len(tokens, 0, names, False, True)):
        return [(" ".join(s[:gap.start()].split()), " ".join(s[gap.end():].split()))]
    return entries


def person_part(rest: str) -> tuple[str | None, bool, str | None, bool, bool]:
    """(name, official, on_behalf_of, chair, remote) from what follows the organisation.

    >>> person_part("Official (for Tom Reed MSP - via videolink)")
    (None, True, 'Tom Reed MSP', False, True)
    >>> person_part("Ann Vale MP CHAIR")
    ('Ann Vale MP', False, None, True, False)
    """
    s = rest
    remote = bool(_REMOTE_RE.search(s))
    s = _REMOTE_RE.sub("", s)
    chair = bool(_CHAIR_RE.search(s))
    s = _CHAIR_RE.sub("", s)
    behalf = None
    m = _BEHALF_RE.search(s)
    if m:
        behalf = " ".join((m[1] or m[2] or "").split()).strip(" ,;:–—-") or None
        s = s[:m.start()] + s[m.end():]
    official = bool(_OFFICIAL_RE.search(s)) or behalf is not None
    s = _OFFICIAL_RE.sub("", s)
    name = " ".join(s.split()).strip(" ,;:–—-()") or None
    return name, official, behalf, chair, remote


def _unglue(text: str, names: Names) -> str:
    """Put spaces back where entries were run together with nothing between."""
    text = re.sub(r"(?<![A-Za-z])(MP|MSP|MLA|AM|CHAIR|Officials?)(?=[A-Z][A-Za-z])", r"\1 ", text)
    text = re.sub(r"\)(?=[A-Za-z])", ") ", text)
    text = re.sub(r"(?<=link)(?=[A-Z])", " ", text)
    tokens = text.split()
    out: list[str] = []
    for i, tok in enumerate(tokens):
        for m in re.finditer(r"(?<=[a-z])(?=[A-Z])", tok):
            left, right = tok[:m.start()], tok[m.start():]
            if len(left) > 2 and left not in ("Mac", "Mc") and _org_len(
                    [right, *tokens[i + 1:i + 6]], 0, names, True):
                out.append(left)
                tok = right
                break
        out.append(tok)
    return " ".join(out)


def _split(tokens: list[str], names: Names) -> list[tuple[str, str]]:
    entries = []
    i, n = 0, len(tokens)
    while i < n:
        k = _org_len(tokens, i, names, False)
        j, depth = i + k, 0
        while j < n:
            t, prev = tokens[j], tokens[j - 1]
            if depth == 0 and j > i:
                if j > i + k and _ends_entry(prev, t):
                    break
                if (not _marker(t) and prev.casefold() not in _CONNECT | {"with"}
                        and _org_len(tokens, j, names, True)):
                    break
            depth = max(0, depth + t.count("(") - t.count(")"))
            j += 1
        j = max(j, i + 1)
        entries.append((" ".join(tokens[i:i + k]), " ".join(tokens[i + k:j])))
        i = j
    return entries


def _marker(tok: str) -> bool:
    return (tok.startswith("(") or tok in HONORIFICS or _OFFICIAL_RE.fullmatch(tok) is not None
            or tok in POST_NOMINALS or tok == "CHAIR")


def _ends_entry(prev: str, nxt: str) -> bool:
    if nxt.startswith("(") or nxt in ("–", "—", "-") or nxt.casefold() in ("via", "by", "chair"):
        return False
    p = prev.rstrip(",;")
    if nxt.rstrip(",;") in POST_NOMINALS:   # a run of them: "QC MP", "OBE MLA"
        return False
    return (p.endswith(")") or p == "CHAIR" or p in POST_NOMINALS
            or p.casefold() in ("link", "videolink", "video-link", "official", "officials",
                                "telephone", "teleconference", "phone"))


def _acronym(tok: str) -> bool:
    return (bool(re.fullmatch(r"[A-Z](?:[a-z]?[A-Z])+(?:/[A-Z](?:[a-z]?[A-Z])+)*", tok))
            and tok not in POST_NOMINALS and tok != "CHAIR")


def _org_len(tokens: list[str], i: int, names: Names, strict: bool,
             resolved_only: bool = False) -> int:
    """How many tokens from ``i`` name an organisation (0 when none do)."""
    if i >= len(tokens) or _marker(tokens[i]):
        return 0
    if names.active:
        for k in range(min(8, len(tokens) - i), 0, -1):
            cand = " ".join(tokens[i:i + k])
            if "(" not in cand and ")" not in cand and names.lookup(cand, "Organisation"):
                return k
        if resolved_only:
            return 0
    return _lexicon_len(tokens, i, strict)


def _lexicon_len(tokens: list[str], i: int, strict: bool) -> int:
    first = tokens[i].rstrip(",;:")
    if _acronym(first) and first not in _PREFIX_ACRONYMS:
        return 1
    k = good = 0
    after_head = False
    while i + k < len(tokens):
        t = tokens[i + k].rstrip(",;:")
        if after_head and t not in _HEAD and t.casefold() not in _CONNECT:
            break
        if t in _ORG_WORDS or (t in _PREFIX_ACRONYMS and k == 0):
            k += 1
            good = k
            after_head = t in _HEAD
        elif t.casefold() in _CONNECT and k > 0:
            k += 1
            after_head = False
        else:
            break
    if strict and good and tokens[i + good - 1].rstrip(",;:") not in _HEAD:
        return 0
    return good


# -- action owners --------------------------------------------------------------
def split_owners(text: str, names: Names, lead: bool = True) -> list[tuple[str, str | None]] | None:
    """Owners of an action: a leading "X and Y to ..." or a trailing "(X)".

    Returns (owner as written, id or None) pairs, or None when the text has
    no owner phrase.

    >>> split_owners("MOJ and AGO/CPS to review the guidance.", Names())
    [('MOJ', None), ('AGO', None), ('CPS', None)]
    >>> split_owners("Circulate the note (Wales Office)", Names(), lead=False)
    [('Wales Office', None)]
    >>> split_owners("Write to all members.", Names()) is None
    True
    """
    m = (_LEAD_RE if lead else _TRAIL_RE).search(text)
    if not m:
        return None
    phrase = m["o"].strip()
    if len(phrase.split()) > 10:
        return None
    owners = _segment(phrase, names)
    if not owners or not all(_plausible(o, i, names) for o, i in owners):
        return None
    return owners


def _segment(phrase: str, names: Names) -> list[tuple[str, str | None]]:
    """Split "A, B and C/D" into owners, keeping names that contain "and" whole."""
    bits = _SPLIT_RE.split(phrase)
    parts, seps = bits[0::2], bits[1::2]
    out, i = [], 0
    while i < len(parts):
        for k in range(len(parts) - i, 0, -1):
            cand = parts[i] + "".join(s + p for s, p in zip(seps[i:i + k - 1], parts[i + 1:i + k]))
            found = names.owner(cand) if names.active else None
            if found or k == 1:
                out.append((cand.strip(), found))
                i += k
                break
    return [(o, f) for o, f in out if o]


def _plausible(owner: str, found: str | None, names: Names) -> bool:
    if found:
        return True
    words = owner.removeprefix("the ").removeprefix("The ").split()
    if not words or len(words) > 6 or words[0] in _VERBS or not words[0][:1].isupper():
        return False
    if owner.casefold() in DEVOLVED:
        return True
    if names.active:
        return (_lexicon_len(words, 0, True) == len(words)
                or (len(words) == 1 and _acronym(words[0])))
    return all(w[:1].isupper() or w.casefold() in _CONNECT for w in words)
