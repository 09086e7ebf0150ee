"""What the demo rep writes: summaries and notes that agree with the tag, the channel and the
vendor's story so far.

Notes are drawn from pools built once per (channel, tag, mood); a mood is where the vendor's
story stands (steady, just bought, after a residuals cut, improving, after a portal move…), so
acquisition talk only ever appears for a vendor that was acquired, and only after the fact.
Nothing here mentions a promise or a to-do: that sentence is added only when one is recorded.
Placeholders filled per interaction: {who}/{Who} (the contact), {topic}, {acq} (the acquirer)
and {acqs} (its possessive).
"""

from __future__ import annotations

import random
from datetime import date

CHANNELS = ["call", "email", "meeting", "chat", "event", "other"]
CHANNEL_WEIGHTS = [30, 36, 18, 10, 3, 3]
TOPICS = ["pricing", "commission", "deal registration", "support", "onboarding", "co-op funds",
          "training", "quoting", "portal", "contract", "escalation", "forecast", "spiff"]

# (summary, channels it can happen on, who reached out: "in", "out" or None for either, the
# topics it can be about). The topic is drawn from the summary's, so they always agree.
ANY = tuple(TOPICS)
HELPFUL_SUMMARIES = [
    ("Channel manager fast-tracked our {topic} request", "call email chat", None,
     ("deal registration", "co-op funds", "quoting", "onboarding", "pricing")),
    ("SE joined the customer call and fixed the design", "call meeting", "in",
     ("support", "quoting")),
    ("Vendor flagged a renewal risk before it bit us", "call email", "in",
     ("contract", "pricing", "support")),
    ("Got an exception on {topic} for the hospital deal", "call email meeting", "out",
     ("pricing", "deal registration", "contract", "co-op funds")),
    ("Joint account plan for Q{q}: real commitment", "meeting", None, ("forecast", "co-op funds")),
    ("Escalation resolved the same day", "call email chat", "out", ("escalation", "support")),
    ("Shared pipeline leads in our territory", "email meeting event", "in", ("forecast",)),
    ("Helped rebuild the quote after a pricing change", "call email meeting", None,
     ("quoting", "pricing")),
    ("Walked me through the new {topic} rules", "call meeting event", None,
     ("commission", "deal registration", "co-op funds", "spiff", "training")),
    ("Introduced me to their product team", "meeting event", "in", ("training", "onboarding")),
    ("Quick, straight answer on {topic}", "chat email other call", "out", ANY),
    ("Customer reference call went well thanks to their SE", "call other", None,
     ("support", "quoting")),
]
TRANSACTIONAL_SUMMARIES = [
    ("Commission statement sent, no explanation of changes", "email", "in", ("commission",)),
    ("Asked for {topic} help, pointed to the portal", "call email chat", "out",
     ("deal registration", "quoting", "onboarding", "training", "support", "co-op funds")),
    ("Quarterly target reminder", "email call", "in", ("forecast",)),
    ("Mass email about the new partner tiers", "email", "in", ("contract", "commission")),
    ("Deal registration rejected without a reason", "email other", "in", ("deal registration",)),
    ("Chased an unpaid commission again", "call email", "out", ("commission", "spiff")),
    ("Ticket closed without a fix", "email chat", "in", ("support", "escalation")),
    ("Price list update, nothing else", "email other", "in", ("pricing",)),
    ("Generic webinar invite about {topic}", "email", "in",
     ("training", "portal", "onboarding", "spiff")),
    ("Asked for forecast numbers for their deck", "call email meeting", "in", ("forecast",)),
    ("Partner roadshow: slides, no time for questions", "event", "in", ("training", "forecast")),
    ("Status meeting, nothing decided on {topic}", "meeting", None,
     ("contract", "pricing", "escalation", "co-op funds", "forecast")),
    ("Portal notice about {topic} changes", "other", "in",
     ("portal", "pricing", "deal registration", "commission")),
]

# Openers by channel: (text, the tag it fits, who reached out); None fits either.
OPENERS: dict[str, list[tuple[str, str | None, str | None]]] = {
    "call": [("Call with {who} about {topic}.", None, None),
             ("Rang {who} about the {topic} question.", None, "out"),
             ("{Who} rang about {topic}.", None, "in"),
             ("{Who} called back within the hour.", "helpful", "out"),
             ("Left two voicemails before {who} picked up.", "transactional", "out"),
             ("{Who} called with a script about {topic}.", "transactional", "in")],
    "email": [("Email from {who} on {topic}.", None, "in"),
              ("Wrote to {who} about {topic}.", None, "out"),
              ("{Who} replied the same morning.", "helpful", "out"),
              ("{Who} wrote before I had to ask.", "helpful", "in"),
              ("Long thread with {who}; took three replies to get an answer.", "transactional",
               "out"),
              ("Another form email from {who}.", "transactional", "in")],
    "meeting": [("Met {who} at their regional office.", None, None),
                ("Sat down with {who} to go through {topic}.", None, None),
                ("{Who} came prepared with our numbers.", "helpful", None),
                ("{Who} ran the meeting from a slide deck.", "transactional", None)],
    "chat": [("Quick chat with {who} about {topic}.", None, None),
             ("{Who} answered on chat in minutes.", "helpful", "out"),
             ("Chat with {who} went round in circles.", "transactional", None)],
    "event": [("Caught {who} at the partner roadshow.", None, None),
              ("Saw {who} at the regional partner summit.", None, None),
              ("{Who} made time for us between sessions.", "helpful", None),
              ("{Who} had five minutes between sessions.", "transactional", None)],
    "other": [("Text from {who} about {topic}.", None, "in"),
              ("Ran into {who} at a customer site.", None, None)],
}

BODIES = {
    "helpful": [
        "They confirmed the margin stays the same for renewals this year.",
        "Offered co-op funds for a joint event with two customers.",
        "Customer loved the demo; the SE knew the product cold.",
        "Clear, honest answer about roadmap timing — appreciated.",
        "They pulled in a product specialist without being asked.",
        "Special pricing approved in two days.",
        "They passed us two leads in our territory.",
        "Went through the details line by line.",
        "Support reopened the ticket and stayed on it until it was fixed.",
    ],
    "transactional": [
        "Support ticket had been open for three weeks before they looked.",
        "They want us to sell the bundled SKU instead of the standalone one.",
        "A link to the portal FAQ, nothing we could use.",
        "Standard reply; nobody owned the question.",
        "They wanted numbers for their forecast and gave nothing back.",
        "The margin on renewals is under review again.",
        "Deal registration queue is two weeks behind.",
    ],
}

CLOSERS = {
    "helpful": ["", "", "Worth raising at the quarterly review.", "Felt like a real partnership."],
    "transactional": ["", "", "Felt like we were a revenue line, not a partner.",
                      "Filed it with the others."],
}

# Where the vendor's story stands, and what the rep notices there (by tag).
MOODS: dict[str, dict[str, list[str]]] = {
    "steady": {},
    "improved": {
        "helpful": ["{Who} has turned this account around since taking over.",
                    "Night and day since the new channel manager started.",
                    "They now call us before a change, not after."],
        "transactional": ["Even the new team could not move on this one."],
    },
    "after_buyout": {
        "helpful": ["One of the old team still looks after our accounts.",
                    "Felt like a partnership, for once."],
        "transactional": ["Since the acquisition nobody seems to own partner escalations.",
                          "Everything now goes through {acqs} partner portal.",
                          "Nobody could say whether our contract survives the move to {acq}.",
                          "Our old channel manager moved to {acqs} enterprise team."],
    },
    "after_cut": {
        "helpful": ["A straight answer, which is rare since the residuals cut.",
                    "Felt like a partnership, for once."],
        "transactional": ["The residuals cut under {acqs} plan takes a fifth off our renewals.",
                          "Asked who owns the partner channel since the acquisition; no answer.",
                          "Compensation plan changes again next quarter; details still vague.",
                          "{acq} direct sales are now calling our customers."],
    },
    "cooling": {
        "helpful": ["Good call, but these are getting rare."],
        "transactional": ["Harder to get a call back than a year ago.",
                          "The team is stretched; answers take a week."],
    },
    "portal": {
        "helpful": ["The new portal finally shows our registrations."],
        "transactional": ["The portal migration broke our deal registrations from last month."],
    },
    "tiers": {
        "helpful": ["They explained how we keep our tier under the new rules."],
        "transactional": ["The new programme counts only net-new logos towards the tier."],
    },
    "po_rule": {
        "helpful": ["They waived the PO rule for the hospital deal."],
        "transactional": ["Registration bounced again: they now want the customer's PO first."],
    },
    "spiff": {
        "helpful": ["The new SPIFF paid out on the hospital deal."],
        "transactional": ["Still no SPIFF paid on last quarter's new logos."],
    },
}
MOOD_SHARE = 0.45  # how often a note mentions where the story stands, in a mood other than steady

POOL_SIZE = 48
WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def summaries_by(tag: str) -> dict[str, list[tuple[str, str | None, tuple[int, ...]]]]:
    """The summaries that fit each channel for this tag: (text, who reaches out, topic indexes)."""
    source = HELPFUL_SUMMARIES if tag == "helpful" else TRANSACTIONAL_SUMMARIES
    out: dict[str, list[tuple[str, str | None, tuple[int, ...]]]] = {c: [] for c in CHANNELS}
    for text, channels, direction, topics in source:
        for channel in channels.split():
            out[channel].append((text, direction, tuple(TOPICS.index(t) for t in topics)))
    return out


class NotePools:
    """Note templates per (channel, tag, mood, direction), built on first use from a seeded
    generator."""

    def __init__(self, rng: random.Random):
        self._rng = rng
        self.built: dict[tuple[str, str, str, str], list[str]] = {}

    def get(self, channel: str, tag: str, mood: str, direction: str) -> list[str]:
        key = (channel, tag, mood, direction)
        pool = self.built.get(key)
        if pool is None:
            pool = self.built[key] = [self._one(channel, tag, mood, direction)
                                       for _ in range(POOL_SIZE)]
        return pool

    def _one(self, channel: str, tag: str, mood: str, direction: str) -> str:
        rng = self._rng
        opener = rng.choice([text for text, fits, way in OPENERS[channel]
                             if fits in (None, tag) and way in (None, direction)])
        parts = [opener]
        mood_lines = MOODS[mood].get(tag, [])
        if mood_lines and rng.random() < MOOD_SHARE:
            parts.append(rng.choice(mood_lines))
        bodies = BODIES[tag]
        parts.append(rng.choice(bodies))
        if rng.random() < 0.25:
            parts.append(rng.choice(bodies))
        parts.append(rng.choice(CLOSERS[tag]))
        seen: list[str] = []
        for p in parts:  # a sentence said twice reads like a bug
            if p and p not in seen:
                seen.append(p)
        return " ".join(seen)


def day_words(day_ordinal: int) -> str:
    """'Fri 14 Mar': how the rep writes a due date in a note."""
    d = date.fromordinal(day_ordinal)
    return f"{WEEKDAYS[d.weekday()]} {d.day} {MONTHS[d.month - 1]}"


# Answers to the standard partnership questions, by the question's position: (from a vendor
# that helps, from one that only transacts).
ANSWERS = {
    1: ("Joint planning each quarter, shared pipeline, and a named channel manager who answers "
        "within a day.",
        "Partners are a route to market; the programme guide sets out the rules."),
    2: ("Growth in our joint customers and their renewals, reviewed together each quarter.",
        "Bookings against the partner target, nothing else."),
    3: ("Tiers simplified twice in three years; partners were asked before each change.",
        "It changes every year, usually announced by mass email."),
    4: ("A named SE on every deal over $25k, co-op funds twice a year, and residuals for the "
        "life of the customer.",
        "Standard margin; co-op funds on request."),
    5: ("Partners bring most new logos; direct sales stay out of partner-registered accounts.",
        "Partners are a secondary route; direct sales lead on accounts over 200 seats."),
}
# The answer to question 4 once a buyer's plan replaces the vendor's own.
ANSWER_AFTER_BUYOUT = ("Under {acqs} plan: residuals stop after twelve months, SE help by "
                       "ticket only, and co-op funds from Gold tier up.")
# The answer to question 2 once a new channel manager turned things round.
ANSWER_AFTER_IMPROVEMENT = ("Renewals and new logos in our shared accounts, reviewed with us "
                            "every quarter since the new channel manager started.")


def possessive(name: str) -> str:
    """"Meridian Telecom's", "Crestline Networks'"."""
    return name + ("'" if name.endswith("s") else "'s") if name else ""
