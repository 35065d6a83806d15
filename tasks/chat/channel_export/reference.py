"""Reference: page through the range's messages with the largest pages, and read the whole member directory
once with users_list (largest pages) into a dict: the export costs (messages + members) / page size calls,
instead of one users_info call per distinct author, which the rate limit turns into an hour."""
PAGE = 1000


def export_channel(api, channel, oldest, latest):
    messages, cursor = [], None
    while True:
        page = api.conversations_history(channel, oldest=oldest, latest=latest, cursor=cursor, limit=PAGE)
        messages.extend(page["items"])
        cursor = page["next_cursor"]
        if cursor is None:
            break
    members, cursor = {}, None
    while messages:
        page = api.users_list(cursor=cursor, limit=PAGE)
        for user in page["items"]:
            members[user["id"]] = user
        cursor = page["next_cursor"]
        if cursor is None:
            break
    messages.sort(key=lambda m: m["ts"])
    return {"messages": [{"ts": m["ts"], "user": m["user"], "name": members[m["user"]]["name"],
                          "email": members[m["user"]]["email"], "text": m["text"]} for m in messages]}
