"""Reference: jump straight to a series' first occurrence that can touch the day, k = (day_start - minutes -
start) // every + 1 (or 0), then step through the day only: a hold costs its occurrences in the day, however
long ago it started."""


def room_availability(holds, day_start, day_end):
    per_room = {}
    for hold in holds:
        start, minutes, every, count = hold["start"], hold["minutes"], hold["every"], hold["count"]
        if every is None:
            every, count = 1, 1
        gap = day_start - minutes - start
        k = gap // every + 1 if gap >= 0 else 0
        occurrence = start + k * every
        while occurrence < day_end and (count is None or k < count):
            per_room.setdefault(hold["room_id"], []).append(
                (max(occurrence, day_start), min(occurrence + minutes, day_end)))
            k += 1
            occurrence += every
    busy = []
    for room in sorted(per_room):
        merged = []
        for begin, end in sorted(per_room[room]):
            if merged and begin <= merged[-1][2]:
                if end > merged[-1][2]:
                    merged[-1][2] = end
            else:
                merged.append([room, begin, end])
        busy.extend(merged)
    return {"busy": busy}
