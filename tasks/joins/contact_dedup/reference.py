"""Reference: normalise the upload, look the distinct keys up 100 at a time, join back to the rows with dicts."""
BATCH = 100


def normalize_email(raw):
    value = (raw or "").strip().lower()
    return value or None


def normalize_phone(raw):
    digits = "".join(ch for ch in raw or "" if ch.isdigit())
    if len(digits) == 11 and digits[0] == "1":
        digits = digits[1:]
    return "+1" + digits if len(digits) == 10 else None


def lookup(api, prop, values):
    """{value: lowest contact id with that value}, one batch call per 100 distinct values."""
    values = sorted(values)
    found = {}
    for start in range(0, len(values), BATCH):
        for contact in api.batch_read_contacts(property=prop, values=values[start:start + BATCH])["items"]:
            key = contact[prop]
            if key not in found or contact["id"] < found[key]:
                found[key] = contact["id"]
    return found


def match_contacts(api, rows):
    emails = [normalize_email(r.get("email")) for r in rows]
    phones = [normalize_phone(r.get("phone")) for r in rows]
    by_email = lookup(api, "email", {e for e in emails if e})
    by_phone = lookup(api, "phone", {p for e, p in zip(emails, phones) if p and e not in by_email})
    matches = [by_email.get(e) if e in by_email else by_phone.get(p) for e, p in zip(emails, phones)]
    return {"matches": matches, "duplicates": sum(m is not None for m in matches)}
