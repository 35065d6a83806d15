"""Naive (the tutorial answer): search the CRM for each uploaded row, by email and then by phone."""
import re


def clean_email(email):
    email = email.strip().lower()
    return email or None


def clean_phone(phone):
    digits = re.sub(r"\D", "", phone)
    if len(digits) == 11 and digits.startswith("1"):
        digits = digits[1:]
    if len(digits) != 10:
        return None
    return "+1" + digits


def match_contacts(api, rows):
    matches = []
    for row in rows:
        match = None
        email = clean_email(row["email"])
        if email:
            result = api.search_contacts(property="email", value=email)
            if result["items"]:
                match = result["items"][0]["id"]
        if match is None:
            phone = clean_phone(row["phone"])
            if phone:
                result = api.search_contacts(property="phone", value=phone)
                if result["items"]:
                    match = min(contact["id"] for contact in result["items"])
        matches.append(match)
    return {"matches": matches, "duplicates": len([m for m in matches if m is not None])}
