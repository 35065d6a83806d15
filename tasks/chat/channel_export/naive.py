"""Naive (the tutorial export): page through the channel's history, and look each message's author up with
users_info. Fine for a handful of messages; a call per message at a channel's size."""


def export_channel(api, channel, oldest, latest):
    rows, cursor = [], None
    while True:
        page = api.conversations_history(channel, oldest=oldest, latest=latest, cursor=cursor, limit=200)
        for message in page["items"]:
            user = api.users_info(message["user"])["user"]
            rows.append({"ts": message["ts"], "user": message["user"], "name": user["name"],
                         "email": user["email"], "text": message["text"]})
        cursor = page["next_cursor"]
        if not cursor:
            break
    rows.sort(key=lambda row: row["ts"])
    return {"messages": rows}
