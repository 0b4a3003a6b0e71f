# Muster — English messages. Ids are shared with fr/muster.ftl; a test
# checks both files define the same ids.

## Errors
error-slow-down = You are sending commands too fast; wait a minute and try again.
notice-unreachable = { $name }, I cannot write to you privately. Open a private conversation with me first (on Telegram: tap my name, then Start), then ask again.
error-internal = Sorry, something went wrong on our side and nothing was changed. Reference: { $reference }
error-unknown-command = Unknown command `{ $word }`. Type /help to see the commands.
error-unknown-command-suggest = Unknown command `{ $word }`. Did you mean { $suggestions }?
error-missing = Missing { argument-name }.
error-invalid = Invalid { argument-name }: `{ $value }`.
# The name of a command's argument, from the parser's `argument` (`title`,
# `when`, …); error-missing and error-invalid use it.
argument-name = { $argument ->
    [id] number
    [member] member
    [role] role
    [slug] slug
    [name] name
    [parent] parent section
    [title] title
    [when] date and time
    [place] place
    [duration] duration
    [capacity] capacity
    [initiative] initiative number
    [recurrence] repetition
    [field] field
    [answer] answer
    [guests] number of guests
    [text] text
    [cron] schedule
    [visibility] visibility
    [switch] choice (on or off)
    [language] language
    [filter] filter
    [range] period
    [setting] setting
    [timezone] time zone
    [verification] verification policy
    [approval] approval policy
    [reminders] reminders
    [confirm] confirm step
    [waitlist] waitlist mode
   *[other] { $argument }
}
error-invalid-when = I cannot read `{ $value }` as a date and time. Write it like `tomorrow 19:00`, `friday 18:30`, `15 december 19:30` or `2026-12-15 19:30`; to announce a text that starts with "at", put the text in quotes.
error-invalid-when-split = I cannot tell where the time ends in `{ $value }`: put the text in quotes, e.g. `/announce at friday 18:00 "10 volunteers needed"`.
error-unexpected = Unexpected `{ $extra }`.
error-unclosed-quote = A quote is not closed.
error-too-long = That message is too long for a command.
usage = Usage: { $usage }
error-room-not-linked = This room is not linked to a section yet. An organiser can link it with `/section link <slug>` (see `/sections`).
error-no-section = There is no section `{ $slug }`. See `/sections`.
error-forbidden = Only { $role } of { $section } can do that.
error-root-only = Only an administrator can create a top-level section; give a parent with `in <slug>`.
error-bad-slug = `{ $slug }` is not a valid slug: use 2 to 40 lowercase letters, digits and dashes, e.g. `paris-11`.
error-bad-name = The name must have 1 to 100 characters.
error-slug-taken = The slug `{ $slug }` is already taken.
error-link-direct = A direct conversation cannot be linked to a section; link a group room.
error-no-member = No member `{ $member }` here. Use a mention or a member number such as #12.
error-not-member = You are not a member of { $name }.
error-link-code = That code is unknown or expired. Type /link on your other account for a new one.
error-link-self = That code is your own: use it from your other account.
error-verification-required = { $section } asks for a verified member to propose this. An organiser can verify you.
error-bad-title = The title must have 1 to 200 characters.
error-no-initiative = There is no initiative #{ $id }.
error-initiative-not-open = Initiative #{ $id } is not open.
error-already-supporting = You already support initiative #{ $id }.
error-not-supporting = You do not support initiative #{ $id }.
error-initiative-status = Initiative #{ $id } is { $status }; that cannot be done now.
error-when-unrecognised = I could not read the time `{ $when }`. Write for example `{ $example }`, `tomorrow 19:00` or `in 2h` (time zone { $timezone }).
error-when-past = { $local } is in the past ({ $timezone }). Give a time to come, e.g. `{ $example }`.
error-when-ambiguous = { $local } happens twice in { $timezone } (clocks go back); give another time, e.g. `{ $example }`.
error-when-nonexistent = { $local } does not exist in { $timezone } (clocks go forward); give another time, e.g. `{ $example }`.
error-when-invalid = `{ $when }` is not a real date or time. Write for example `{ $example }`.
error-when-too-far = `{ $when }` is too far ahead (more than 10 years).
error-when-needs-time = `{ $when }` has a day but no time: add one, e.g. `{ $when } 19:00`.
error-no-event = There is no event #{ $id }.
error-event-closed = Event #{ $id } is cancelled or over; it cannot be changed.
error-capacity-below = { $taken ->
    [one] { $taken } place is already taken; the capacity cannot be lower.
   *[other] { $taken } places are already taken; the capacity cannot be lower.
}
error-event-proposed = Event #{ $id } is waiting for an organiser's approval.
error-event-started = Event #{ $id } has already started.
error-rsvp-deadline = Answers for event #{ $id } are closed.
error-no-room = Not enough places for more guests: { $left } left. You keep your place as it was.
rsvp-party-larger = A party of { $party } is more than the whole event ({ $capacity ->
        [one] { $capacity } place
       *[other] { $capacity } places
    } in all): you will be told if its capacity grows enough.
error-event-not-proposed = Event #{ $id } is not waiting for approval.
error-checkin-early = Check-in opens when the event starts ({ $when }).
error-already-checked-in = { $member } is already checked in.
error-confirm-not-going = You are not going to event #{ $id }; answer with /rsvp first.
error-bad-announcement = The announcement must have 1 to 4000 characters.
error-no-rooms = No room is linked to { $name }: link one with `/section link <slug>` first.
error-no-announcement = There is no announcement #{ $id }.
error-announcement-not-pending = Announcement #{ $id } is not waiting to be sent.
error-help-topic = No command `{ $topic }`. Type /help for the list.
error-help-topic-suggest = No command `{ $topic }`. Did you mean { $suggestions }?
error-invalid-setting = `{ $value }` is not a setting. The settings are: timezone, language, verification, approval, reminders, confirm, waitlist.
error-invalid-language = `{ $value }` is not a language Muster speaks: write `en` or `fr`.
error-invalid-verification = `{ $value }` is not a verification policy: write `open` (anyone may propose) or `required` (only verified members).
error-invalid-approval = `{ $value }` is not an approval policy: write `open` (members' proposals are published at once) or `required` (an organiser approves them).
error-invalid-waitlist = `{ $value }` is not a waitlist mode: write `auto` (the first person waiting is moved up) or `notify` (the place is offered).
error-invalid-reminders = `{ $value }` is not a list of reminders: write offsets before the start, such as `24h,1h` or `2d,2h`, or `off`.
error-invalid-confirm = `{ $value }` is not a confirm step: write how long before the start, such as `24h`, or `off`.
error-invalid-timezone = `{ $value }` is not a time zone.{ $suggestion ->
    [none] {" "}Write a zone name such as `Europe/Paris` or `America/Montreal`.
   *[other] {" "}Did you mean `{ $suggestion }`?
}
calendar-not-configured = Calendar feeds need the web server, which is not configured yet.

## Roles and words
role-member = members
role-organiser = organisers
role-admin = admins
# A role as a title, for one member: whoami and the members list.
role-singular-member = member
role-singular-organiser = organiser
role-singular-admin = admin
verified = (verified)
reason = Reason: { $reason }

## Help
help-intro = Muster commands (start them with / or !):
help-outro = Details: /help <command>, e.g. /help event new. Every command has a French name too.
help-names = Names: { $en } · { $fr }
help-group-general = You
help-group-sections = Sections
help-group-initiatives = Initiatives
help-group-events = Events
help-group-announcements = Announcements and statistics

usage-help = /help [command]
usage-start = /start
usage-join = /join
usage-leave = /leave
usage-whoami = /whoami
usage-link = /link [code]
usage-mydata = /mydata
usage-forgetme = /forgetme [confirm]
usage-privacy = /privacy public|private
usage-language = /language en|fr
usage-section-new = /section new <slug> "<name>" [in <parent-slug>]
usage-section-link = /section link <slug>
usage-section-unlink = /section unlink
usage-section = /section [<slug>]
usage-sections = /sections
usage-settings = /settings [timezone|language|verification|approval|reminders|confirm|waitlist <value>]
usage-role = /role <member> member|organiser|admin
usage-verify = /verify <member>
usage-unverify = /unverify <member>
usage-members = /members [<slug>]
usage-initiative-new = /initiative new "<title>" [description…]
usage-initiatives = /initiatives [all|mine]
usage-initiative = /initiative <id>
usage-support = /support <id>
usage-unsupport = /unsupport <id>
usage-initiative-approve = /initiative approve <id>
usage-initiative-reject = /initiative reject <id> [reason]
usage-initiative-close = /initiative close <id>
usage-event-new = /event new "<title>" <when> [at "<place>"] [for <duration>] [cap <n>] [initiative <id>] [every week|every month]
usage-events = /events [week|month|all]
usage-event = /event <id>
usage-event-edit = /event edit <id> title|when|place|cap|for <value>
usage-event-cancel = /event cancel <id> [reason]
usage-event-stop = /event stop <id>
usage-rsvp = /rsvp <id> yes|maybe|no [+<guests>]
usage-attendees = /attendees <id>
usage-nudge = /nudge <id>
usage-event-approve = /event approve <id>
usage-event-reject = /event reject <id> [reason]
usage-checkin = /checkin <id> <member> [<member>…]
usage-calendar = /calendar [me]
usage-confirm = /confirm <id>
usage-announce = /announce [at <when>] [to <slug>] [all] <text…>
usage-announcements = /announcements
usage-announce-cancel = /announce cancel <id>
usage-schedule = /schedule digest "<cron>"
usage-schedules = /schedules
usage-unschedule = /unschedule <id>
usage-stats = /stats [<slug>]

help-help = Lists the commands, or explains one.
help-start = Greets you and lists the commands.
help-join = Makes you a member of the section this room is linked to.
help-leave = Ends your membership of this room's section.
help-whoami = Shows your accounts, sections, roles and whether you are verified.
help-link = Without a code: sends you a one-time code (valid 10 minutes). With a code, typed on another platform: joins the two accounts into one member.
help-mydata = Sends you, privately, everything Muster keeps about you.
help-forgetme = Erases your personal data (asks for confirmation first). Your past answers stay counted, anonymously.
help-privacy = Whether other members may see your name in attendee lists (organisers always can).
help-language = The language Muster answers you in.
help-section-new = Creates a section, at the top or under a parent. Settings are inherited from the parent.
help-section-link = Links this room to a section: it will receive its events and announcements.
help-section-unlink = Unlinks this room from its section.
help-section = Shows a section's details and settings.
help-sections = Shows the tree of sections with their member counts.
help-settings = Shows or changes this section's settings: timezone Europe/Paris, language fr|en, verification required|open, approval required|open, reminders 24h,1h, confirm 24h|off, waitlist auto|notify.
help-role = Gives a member a role in this section (and the sections under it).
help-verify = Marks a member as verified in this section.
help-unverify = Removes a member's verification.
help-members = Lists a section's members (organisers).
help-initiative-new = Proposes an initiative in this section.
help-initiatives = Lists initiatives: active ones, all, or yours.
help-initiative = Shows an initiative and its number of supporters.
help-support = Supports an initiative.
help-unsupport = Withdraws your support.
help-initiative-approve = Opens a proposed initiative (organisers).
help-initiative-reject = Rejects a proposed initiative (organisers).
help-initiative-close = Closes an initiative (organisers).
help-event-new = Creates an event. Times are read in the section's time zone: 2026-12-01 19:30, 01/12 19h30, tomorrow 19:00, friday 18:30, in 2h.
help-events = Lists upcoming events of this section and the sections under it.
help-event = Shows an event card with its counts and answer buttons.
help-event-edit = Changes an event; attendees are told what changed.
help-event-cancel = Cancels an event; attendees are told.
help-event-stop = Ends a recurring series: the event keeps its date, and no occurrence is created after it. `/event cancel <id> series` does the same.
help-rsvp = Answers an event: yes, maybe or no, with +n guests. Past capacity you are waitlisted and moved up automatically when a place frees.
help-attendees = Who is going, maybe, can't come, and the waitlist. Names are shown to organisers, and to everyone for members who opted in.
help-nudge = Sends a private reminder to the section's members who have not answered (organisers).
help-event-approve = Approves an event proposed by a member (organisers).
help-event-reject = Rejects an event proposed by a member (organisers).
help-checkin = Records that a member attended (organisers, after the start).
help-calendar = The calendar feed address of the section, or your own.
help-confirm = Confirms you are still coming.
help-announce = Sends an announcement to every room of a section; `all` includes the sections under it.
help-announcements = Lists announcements waiting to be sent.
help-announce-cancel = Cancels a scheduled announcement.
help-schedule = Posts the agenda on a schedule (cron in the section's time zone), e.g. "0 9 * * MON".
help-schedules = Lists the section's schedules.
help-unschedule = Removes a schedule.
help-stats = Members, initiatives, events, answer and attendance rates.

## Sections
section-created = Section { $name } created (`{ $slug }`). Link a room to it with `/section link { $slug }`.
room-linked = This room is now linked to { $name }.
room-unlinked = This room is no longer linked to { $name }.
section-details = { $name } (`{ $slug }`) — parent: { $parent } — { $members ->
        [one] { $members } member
       *[other] { $members } members
    }, { $rooms ->
        [one] { $rooms } linked room
       *[other] { $rooms } linked rooms
    }
sections-none = No sections yet. An admin can create one with `/section new <slug> "<name>"`.
sections-heading = Sections:
sections-line = { $name } (`{ $slug }`) — { $members ->
        [one] { $members } member
       *[other] { $members } members
    }
settings-show = Time zone: { $timezone } · language: { $language ->
        [en] English
        [fr] French
       *[other] { $language }
    } · verification: { $verification } · approval: { $approval } · reminders: { $reminders } · confirm: { $confirm } · waitlist: { $waitlist }
# The code passes the setting's key and value as typed (`approval`, `open`);
# setting-name and setting-value say them in the reader's language.
setting-name = { $key ->
    [timezone] time zone
   *[other] { $key }
}
setting-value = { $value ->
    [en] English
    [fr] French
   *[other] { $value }
}
settings-changed = { $name }: { setting-name } is now { setting-value }.

## Members
join-already = You are already a member of { $name }.
join-done = Welcome to { $name }!
leave-done = You have left { $name }.
whoami-head = You are { $name } (member #{ $id }).
whoami-identities = Accounts: { $identities }
whoami-root = You are an administrator of the whole organisation.
whoami-no-sections = You are not a member of any section yet; type /join in a section's room.
whoami-section = { $name }: { $role } { $verified }
link-code = Your link code: { $code } — type `/link { $code }` on your other account within 10 minutes.
link-code-sent = I sent you a link code privately.
link-done = Your accounts are now one member: { $name } (#{ $id }).
mydata-head = Everything Muster keeps about you:
mydata-sent = I sent you your data privately.
forgetme-ask = This erases your name, accounts and memberships. Your past answers stay counted, anonymously. To go ahead, type `/forgetme confirm`.
forgetme-done = Your personal data has been erased.
error-forgetme-unasked = Nothing was erased. To erase your data, type `/forgetme` first, read what it erases, then `/forgetme confirm` within 10 minutes.
error-forgetme-last-admin = Nothing was erased: you are the last administrator, and nobody could run the organisation after you. Give the admin role to someone first (`/role <member> admin` in a section's room), then try again.
privacy-public = Other members can now see your name in attendee lists.
privacy-private = Only organisers can now see your name in attendee lists.
language-set = I will answer you in English.
role-set = { $member } is now among the { $role } of { $section }.
verify-done = { $member } is verified in { $section }.
unverify-done = { $member } is no longer verified in { $section }.
members-head = { $name }: { $count ->
        [one] { $count } member
       *[other] { $count } members
    }
members-line = #{ $id } { $name } — { $role } { $verified }

## Initiatives
initiative-proposed = Initiative #{ $id } “{ $title }” is proposed; an organiser will review it.
initiative-created = Initiative #{ $id } “{ $title }” is open. Support it with /support { $id }.
initiatives-head = Initiatives in { $name }:
initiatives-line = #{ $id } { $title } — { $status }, { $supporters ->
        [one] { $supporters } supporter
       *[other] { $supporters } supporters
    }
initiatives-none = No initiatives here yet. Propose one with /initiative new "<title>".
initiative-status-proposed = proposed
initiative-status-open = open
initiative-status-closed = closed
initiative-status-rejected = rejected
initiative-details = #{ $id } { $title } — { $status } in { $section } — { $supporters ->
        [one] { $supporters } supporter
       *[other] { $supporters } supporters
    }
support-done = You support #{ $id } “{ $title }” ({ $count ->
        [one] { $count } supporter
       *[other] { $count } supporters
    }).
unsupport-done = You no longer support #{ $id } “{ $title }” ({ $count ->
        [one] { $count } supporter
       *[other] { $count } supporters
    }).
initiative-approved = Initiative #{ $id } “{ $title }” is open.
initiative-rejected = Initiative #{ $id } “{ $title }” is rejected.
initiative-closed = Initiative #{ $id } “{ $title }” is closed.
initiative-approved-notice = Your initiative #{ $id } “{ $title }” was approved and is open.
initiative-rejected-notice = Your initiative #{ $id } “{ $title }” was not accepted. { $reason }

## Events
card-title = 📅 #{ $id } { $title } — { $span }
card-place = 📍 { $place }
card-counts = ✅ { $going } going · ❔ { $maybe } maybe · ❌ { $declined } can't come
card-capacity = { $capacity ->
        [one] { $capacity } place
       *[other] { $capacity } places
    }, { $left } left · waitlist: { $waitlist }
card-every-weekly = 🔁 every week
card-every-monthly = 🔁 every month
card-cancelled = ⛔ Cancelled
card-proposed = ⏳ Waiting for an organiser's approval
card-rejected = ⛔ Not accepted
button-going = ✅ Going
button-maybe = ❔ Maybe
button-declined = ❌ Can't come
event-proposed = Event #{ $id } “{ $title }” is proposed; an organiser will review it.
events-none = No upcoming events in { $name }.
events-head = Upcoming in { $name }:
events-line = #{ $id } { $when } — { $title } ({ $going } going)
events-proposed-mark = [proposed]
events-more = …and { $count } more: /events all
field-title = title
field-when = time
field-place = place
field-cap = capacity
field-for = duration
event-changed-notice = Change to #{ $id } “{ $title }”: { $field } { $old } → { $new }
event-cancelled = Event #{ $id } “{ $title }” is cancelled; attendees are told.
event-cancelled-notice = Cancelled: #{ $id } “{ $title }” ({ $when }). { $reason }
rsvp-going = You are going to “{ $title }”.
rsvp-maybe = You might come to “{ $title }”.
rsvp-declined = You can't come to “{ $title }”; thanks for saying so.
rsvp-waitlisted = “{ $title }” is full: you are number { $position } on the waitlist, and will be told if a place frees.
rsvp-promoted-notice = A place freed up: you are now going to #{ $id } “{ $title }” ({ $when }).
rsvp-offer-notice = A place is free at #{ $id } “{ $title }”. Take it with /rsvp { $id } yes.
attendees-head = #{ $id } { $title }: { $going } going, { $maybe } maybe, { $declined } can't come, { $waitlist } waiting
attendees-hidden = { $count } more
attendees-going = Going
attendees-maybe = Maybe
attendees-declined = Can't come
attendees-waitlisted = Waitlist
# One line of the attendee list: a label above and the names.
attendees-line = { $label }: { $names }
nudge-notice = Will you come to #{ $id } “{ $title }” ({ $when })? Answer with /rsvp { $id } yes|maybe|no.
nudge-done = { $count ->
    [0] No reminder sent: every member has answered, or none can be written to privately.
    [one] Reminder sent to { $count } member who had not answered.
   *[other] Reminder sent to { $count } members who had not answered.
}
event-approved = Event #{ $id } “{ $title }” is approved.
event-rejected = Event #{ $id } “{ $title }” is rejected.
event-approved-notice = Your event #{ $id } “{ $title }” was approved.
event-rejected-notice = Your event #{ $id } “{ $title }” was not accepted. { $reason }
checkin-done = { $member } checked in at “{ $title }”.
checkin-already = { $member } is already checked in.
checkin-not-going = { $member } did not answer going ({ $status ->
        [maybe] maybe
        [declined] can't come
        [waitlisted] on the waitlist
       *[other] { $status }
    }): not checked in. If they came, they should answer `/rsvp <id> yes` first.
checkin-no-answer = { $member } never answered: not checked in. If they came, they should answer `/rsvp <id> yes` first.
event-series-stopped = The series of #{ $id } “{ $title }” ends: no occurrence after { $when }.
error-event-not-recurring = Event #{ $id } does not repeat; to call it off, use `/event cancel { $id }`.
confirm-done = Thanks, see you at “{ $title }”!

## Announcements
announce-done = { $count ->
    [one] Announcement #{ $id } sent to { $count } room.
   *[other] Announcement #{ $id } sent to { $count } rooms.
}
announcements-none = No announcement is waiting to be sent.
# One pending announcement in /announcements.
announcements-line = #{ $id } { $when } — { $text }
announce-cancelled = Announcement #{ $id } is cancelled.

## Statistics
stats = { $name }: { $members ->
        [one] { $members } member
       *[other] { $members } members
    } ({ $verified } verified)
    Initiatives: { $open } open, { $proposed } proposed, { $closed } closed — { $supporters ->
        [one] { $supporters } support
       *[other] { $supporters } supports
    }
    Events: { $upcoming } upcoming, { $past } past — answer rate { $answer_rate }
    Attendance: { $attendance } ({ $noshows ->
        [one] { $noshows } no-show
       *[other] { $noshows } no-shows
    })

## Scheduled work
reminder-head = ⏰ Reminder — starts in { $lead }:
confirm-ask = Are you still coming to #{ $id } “{ $title }” ({ $when })? Confirm, or say you can't come to free your place for someone on the waitlist.
button-confirm = 👍 I'm coming
button-cancel = ❌ I can't come
digest-head = 🗓 Coming up in { $name }:
digest-line = #{ $id } { $when } — { $title } ({ $going } going)
digest-empty = Nothing planned this week.
announce-scheduled = Announcement #{ $id } will be sent on { $when }. See /announcements; cancel with /announce cancel { $id }.
schedule-created = Digest #{ $id } scheduled (`{ $cron }`, { $timezone }); next: { $next }.
schedules-none = No schedules in this section.
schedules-line = #{ $id } `{ $cron }` — next: { $next }
jobs-dead-line = ⚠ Failed for good: { $key } ({ $error })
unschedule-done = Schedule #{ $id } removed.
error-no-schedule = There is no schedule #{ $id } in this section.
error-cron = { $reason }. Five fields: minute hour day-of-month month day-of-week, e.g. "0 9 * * MON".
# Reasons shown in error-cron's { $reason }, one per kind of mistake.
error-cron-fields = { $count ->
    [one] This schedule has { $count } field
   *[other] This schedule has { $count } fields
}
error-cron-invalid = Invalid schedule: { $detail }
error-cron-never = This schedule never fires
error-cron-too-frequent = This schedule fires more often than every { $minutes } minutes

## Member preferences
reminders-on = You will also get event reminders privately, for events you answered going or maybe.
reminders-off = Event reminders will only come in your section's rooms.
usage-reminders = /reminders on|off
help-reminders = Whether event reminders also come to you privately (for events you answered going or maybe).

# The approval queue.
approval-event-notice = { $author } proposes event #{ $id } “{ $title }” in { $section }. Approve it or reject it (`/event reject { $id } <reason>` to say why).
approval-initiative-notice = { $author } proposes initiative #{ $id } “{ $title }” in { $section }. Approve it or reject it (`/initiative reject { $id } <reason>` to say why).
button-approve = ✅ Approve
button-reject = ❌ Reject
pending-head = Waiting for approval in { $name } ({ $count }):
pending-event = Event #{ $id } “{ $title }” ({ $when }): `/event approve { $id }` or `/event reject { $id }`
pending-initiative = Initiative #{ $id } “{ $title }”: `/initiative approve { $id }` or `/initiative reject { $id }`
pending-none = Nothing waits for approval in { $name }.
error-proposal-waiting = { $kind ->
    [event] Event
   *[other] Initiative
} #{ $id } is waiting for an organiser's approval.
usage-pending = /pending
help-pending = Lists the events and initiatives members proposed that wait for an organiser (organisers).

# A section's zone changed with events ahead.
timezone-events-clock = { $count ->
    [one] The upcoming event keeps its clock time, now in { $zone } (so its instant moves; reminders follow). To keep instants instead, type `/settings timezone { $zone } instants`.
   *[other] The { $count } upcoming events keep their clock times, now in { $zone } (so their instants move; reminders follow). To keep instants instead, type `/settings timezone { $zone } instants`.
}
timezone-events-instants = { $count ->
    [one] The upcoming event keeps its instant: its time now shows in { $zone }.
   *[other] The { $count } upcoming events keep their instants: their times now show in { $zone }.
}

# After downtime.
catchup-head = While Muster was offline in { $name }, from { $from } to { $to }:
catchup-reminders = { $count ->
    [one] 1 reminder was skipped (its event had started, or a later reminder went out).
   *[other] { $count } reminders were skipped (their events had started, or a later reminder went out).
}
catchup-confirms = { $count ->
    [one] 1 confirmation request was skipped (the event had started).
   *[other] { $count } confirmation requests were skipped (the events had started).
}
catchup-digests = { $count ->
    [one] 1 digest was skipped (too late to be news).
   *[other] { $count } digests were skipped (too late to be news).
}
catchup-held = { $count ->
    [one] Announcement #{ $first } was due meanwhile and waits for you: `/announce send { $first }` or `/announce cancel { $first }`.
   *[other] Announcements { $announcements } were due meanwhile and wait for you: see `/announcements`.
}
announce-late-note = (Sent { $minutes } min late: Muster was offline.)
announcements-held-line = #{ $id } held, was due { $when } — { $text } (`/announce send { $id }` or `/announce cancel { $id }`)
jobs-missed-line = skipped: { $key } (was due { $when })
usage-announce-send = /announce send <id>
help-announce-send = Sends now an announcement held while Muster was offline (or one waiting for its time).
