"""A CRM of contacts behind a HubSpot-like REST API, and the messy contact lists marketing uploads."""
import random

from scaleblind.platforms.api import ApiConfig, ApiSimulator
from scaleblind.platforms.clock import VirtualClock
from scaleblind.platforms.errors import BadRequest
from scaleblind.platforms.generate import without_gc
from scaleblind.platforms.world import Request, World

FIRST = ["ana", "ben", "carla", "dev", "elena", "farid", "grace", "hugo", "ines", "jon", "kira", "liam",
         "maya", "noah", "olga", "pavel", "quinn", "rosa", "sam", "tara", "umar", "vera", "wes", "yui", "zoe"]
LAST = ["adams", "baker", "chen", "diaz", "evans", "fischer", "garcia", "haddad", "ito", "jones", "khan",
        "lopez", "meyer", "nguyen", "okafor", "patel", "quinn", "rossi", "smith", "tanaka", "ueda", "vogel",
        "wright", "xu", "young", "zhang"]
DOMAINS = ["gmail.com", "outlook.com", "yahoo.com", "acme.io", "globex.com", "initech.net", "hooli.com",
           "umbrella.org", "stark.co", "wayne.biz"]
MAX_BATCH = 100
PROPERTIES = ("email", "phone")


def normalize_email(raw: str) -> str | None:
    value = (raw or "").strip().lower()
    return value or None


def normalize_phone(raw: str) -> str | None:
    digits = "".join(ch for ch in raw or "" if ch.isdigit())
    if len(digits) == 11 and digits[0] == "1":
        digits = digits[1:]
    return "+1" + digits if len(digits) == 10 else None


def random_phone(rng: random.Random) -> str:
    return f"+1{2_000_000_000 + rng.getrandbits(33) % 8_000_000_000}"


def make_contacts(size: int, rng: random.Random) -> list[tuple]:
    """(id, email, phone, first, last) tuples: unique emails; ~15% without a phone; ~4% share an earlier
    contact's phone (an office line). Tuples, not dicts, keep the 200,000-contact tier quick to build."""
    contacts, phones = [], []
    bits = rng.getrandbits
    for cid in range(1, size + 1):
        r = bits(32)
        first, last, domain = FIRST[r % 25], LAST[(r >> 5) % 26], DOMAINS[(r >> 10) % 10]
        roll = (r >> 16) % 100
        if roll < 15:
            phone = None
        elif roll < 19 and phones:
            phone = phones[bits(30) % len(phones)]
        else:
            phone = random_phone(rng)
            phones.append(phone)
        contacts.append((cid, f"{first}.{last}{cid}@{domain}", phone, first, last))
    return contacts


def messy_email(email: str, rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.3:
        email = email.upper() if rng.random() < 0.3 else email[:1].upper() + email[1:]
    if rng.random() < 0.2:
        email = " " + email + rng.choice([" ", "  ", "\t"])
    return email


def messy_phone(phone: str, rng: random.Random) -> str:
    d = phone[2:]
    return rng.choice([f"({d[:3]}) {d[3:6]}-{d[6:]}", f"{d[:3]}-{d[3:6]}-{d[6:]}", f"+1 {d[:3]} {d[3:6]} {d[6:]}",
                       f"1-{d[:3]}-{d[3:6]}-{d[6:]}", f"{d[:3]}.{d[3:6]}.{d[6:]}", d, f"+1{d}"])


def as_dict(contact: tuple) -> dict:
    cid, email, phone, first, last = contact
    return {"id": cid, "email": email, "phone": phone, "first_name": first.title(), "last_name": last.title()}


def make_upload(n: int, with_phone: list[tuple], emails: set, rng: random.Random) -> list[dict]:
    rows = []
    for _ in range(n):
        roll = rng.random()
        _, contact_email, contact_phone, first, last = rng.choice(with_phone)
        first, last = first.title(), last.title()
        if roll < 0.33:                      # an existing contact, by email (phone may be theirs, another, none)
            email = messy_email(contact_email, rng)
            r = rng.random()
            phone = messy_phone(contact_phone, rng) if r < 0.5 else (
                messy_phone(rng.choice(with_phone)[2], rng) if r < 0.6 else "")
        elif roll < 0.53:                    # an existing contact under a new email: matched by phone
            email = messy_email(f"{first.lower()}.{last.lower()}{rng.randrange(10**6)}@newmail.example", rng)
            phone = messy_phone(contact_phone, rng)
        else:                                # a new person
            first, last = rng.choice(FIRST).title(), rng.choice(LAST).title()
            r = rng.random()
            email = "" if r < 0.08 else messy_email(
                f"{first.lower()}{rng.randrange(10**7)}@{rng.choice(DOMAINS)}", rng)
            r = rng.random()
            if r < 0.25:
                phone = ""
            elif r < 0.32:
                phone = f"{rng.randrange(100, 999)}-{rng.randrange(1000, 9999)}"   # no area code: no phone
            else:
                phone = messy_phone(random_phone(rng), rng)
        if normalize_email(email) in emails and roll >= 0.33:
            email = ""                           # keep "new" rows new
        rows.append({"first_name": first, "last_name": last, "email": email, "phone": phone})
    return rows


def endpoints(contacts: list[tuple]) -> dict:
    by_email = {c[1]: c for c in contacts}
    by_phone: dict[str, list[tuple]] = {}
    for c in contacts:
        if c[2]:
            if c[2] in by_phone:
                by_phone[c[2]].append(c)
            else:
                by_phone[c[2]] = [c]
    index = {"email": lambda v: [by_email[v]] if v in by_email else [], "phone": lambda v: by_phone.get(v, [])}

    def check_property(property: str) -> None:
        if property not in PROPERTIES:
            raise BadRequest(f"400: property must be one of {list(PROPERTIES)}")

    def search_contacts(property: str, value: str) -> dict:
        check_property(property)
        found = index[property](value) if isinstance(value, str) else []
        return {"items": [as_dict(c) for c in found[:100]], "total": len(found)}

    def batch_read_contacts(property: str, values: list) -> dict:
        check_property(property)
        if not isinstance(values, list) or len(values) > MAX_BATCH:
            raise BadRequest(f"400: values must be a list of at most {MAX_BATCH} strings")
        seen, items = set(), []
        for value in values:
            if isinstance(value, str) and value not in seen:
                seen.add(value)
                items.extend(as_dict(c) for c in index[property](value))
        return {"items": items}

    def list_contacts(after: int = 0, limit: int = 10) -> dict:
        start = max(0, int(after))
        page = contacts[start:start + limit]
        nxt = start + limit if start + limit < len(contacts) else None
        return {"items": [as_dict(c) for c in page], "next_after": nxt}

    return {"search_contacts": search_contacts, "batch_read_contacts": batch_read_contacts,
            "list_contacts": list_contacts}


@without_gc
def build(spec, tier, seed: int) -> World:
    rng = random.Random(f"{spec.id}:{tier.name}:{seed}")
    contacts = make_contacts(tier.size, rng)
    emails = {c[1] for c in contacts}
    with_phone = [c for c in contacts if c[2]]
    clock = VirtualClock()
    api = ApiSimulator(clock, endpoints(contacts), ApiConfig.from_spec(spec.platform["api"]))
    n = int(tier.params["upload_rows"])
    requests = [Request({"rows": make_upload(n, with_phone, emails, rng)}) for _ in range(tier.requests)]
    return World(clock, {"api": api}, requests)
