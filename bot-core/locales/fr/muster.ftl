# Muster — messages en français. Mêmes identifiants que en/muster.ftl.

## Erreurs
error-slow-down = Vous envoyez des commandes trop vite ; attendez une minute puis réessayez.
notice-unreachable = { $name }, je ne peux pas vous écrire en privé. Ouvrez d'abord une conversation privée avec moi (sur Telegram : touchez mon nom, puis Démarrer), puis redemandez.
error-internal = Désolé, un problème est survenu de notre côté et rien n'a été modifié. Référence : { $reference }
error-unknown-command = Commande inconnue `{ $word }`. Tapez /aide pour voir les commandes.
error-unknown-command-suggest = Commande inconnue `{ $word }`. Vouliez-vous dire { $suggestions } ?
error-missing = Il manque { $argument }.
error-invalid = { $argument } invalide : `{ $value }`.
error-invalid-when = Je ne sais pas lire `{ $value }` comme une date et une heure. Écrivez par exemple `demain 19h`, `vendredi 18h30`, `15 décembre 19h30` ou `2026-12-15 19:30` ; pour annoncer un texte qui commence par « à », mettez le texte entre guillemets.
error-invalid-when-split = Je ne sais pas où s'arrête l'heure dans `{ $value }` : mettez le texte entre guillemets, par exemple /annoncer à vendredi 18h "10 bénévoles recherchés".
error-unexpected = `{ $extra }` en trop.
error-unclosed-quote = Un guillemet n'est pas fermé.
error-too-long = Ce message est trop long pour une commande.
usage = Usage : { $usage }
error-room-not-linked = Ce salon n'est lié à aucune section. Un·e organisateur·rice peut le lier avec `/section lier <slug>` (voir `/sections`).
error-no-section = Il n'y a pas de section `{ $slug }`. Voir `/sections`.
error-forbidden = Seuls les { $role } de { $section } peuvent faire cela.
error-root-only = Seul·e un·e administrateur·rice peut créer une section racine ; indiquez un parent avec `in <slug>`.
error-bad-slug = `{ $slug }` n'est pas un slug valide : de 2 à 40 minuscules, chiffres et tirets, par exemple `paris-11`.
error-bad-name = Le nom doit faire de 1 à 100 caractères.
error-slug-taken = Le slug `{ $slug }` est déjà pris.
error-link-direct = Une conversation privée ne peut pas être liée à une section ; liez un salon de groupe.
error-no-member = Aucun membre `{ $member }` ici. Utilisez une mention ou un numéro de membre comme #12.
error-not-member = Vous n'êtes pas membre de { $name }.
error-link-code = Ce code est inconnu ou expiré. Tapez /lier sur votre autre compte pour en obtenir un nouveau.
error-link-self = Ce code est le vôtre : utilisez-le depuis votre autre compte.
error-verification-required = { $section } demande un membre vérifié pour proposer ceci. Un·e organisateur·rice peut vous vérifier.
error-bad-title = Le titre doit faire de 1 à 200 caractères.
error-no-initiative = Il n'y a pas d'initiative n°{ $id }.
error-initiative-not-open = L'initiative n°{ $id } n'est pas ouverte.
error-already-supporting = Vous soutenez déjà l'initiative n°{ $id }.
error-not-supporting = Vous ne soutenez pas l'initiative n°{ $id }.
error-initiative-status = L'initiative n°{ $id } est { $status } ; impossible pour l'instant.
error-when-unrecognised = Je n'ai pas compris l'heure `{ $when }`. Écrivez par exemple `{ $example }`, `demain 19h` ou `dans 2h` (fuseau { $timezone }).
error-when-past = { $local } est déjà passé ({ $timezone }). Donnez une heure à venir, par exemple `{ $example }`.
error-when-ambiguous = { $local } existe deux fois en { $timezone } (changement d'heure) ; donnez une autre heure, par exemple `{ $example }`.
error-when-nonexistent = { $local } n'existe pas en { $timezone } (changement d'heure) ; donnez une autre heure, par exemple `{ $example }`.
error-when-invalid = `{ $when }` n'est pas une date ou une heure réelle. Écrivez par exemple `{ $example }`.
error-when-too-far = `{ $when }` est trop loin (plus de 10 ans).
error-when-needs-time = `{ $when }` donne un jour mais pas d'heure : ajoutez-la, par exemple `{ $when } 19h`.
error-no-event = Il n'y a pas d'évènement n°{ $id }.
error-event-closed = L'évènement n°{ $id } est annulé ou terminé ; il ne peut plus être modifié.
error-capacity-below = { $taken } places sont déjà prises ; la capacité ne peut pas être plus basse.
error-event-proposed = L'évènement n°{ $id } attend l'approbation d'un·e organisateur·rice.
error-event-started = L'évènement n°{ $id } a déjà commencé.
error-rsvp-deadline = Les réponses à l'évènement n°{ $id } sont closes.
error-no-room = Pas assez de places pour plus d'invités : il en reste { $left }. Vous gardez votre place telle quelle.
error-party-too-large = Un groupe de { $party } dépasse l'événement entier : il a { $capacity } places en tout.
error-event-not-proposed = L'évènement n°{ $id } n'attend pas d'approbation.
error-checkin-early = Le pointage ouvre au début de l'évènement ({ $when }).
error-already-checked-in = { $member } est déjà pointé·e.
error-confirm-not-going = Vous ne participez pas à l'évènement n°{ $id } ; répondez d'abord avec /rsvp.
error-bad-announcement = L'annonce doit faire de 1 à 4000 caractères.
error-no-rooms = Aucun salon n'est lié à { $name } : liez-en un avec `/section lier <slug>` d'abord.
error-no-announcement = Il n'y a pas d'annonce n°{ $id }.
error-announcement-not-pending = L'annonce n°{ $id } n'est pas en attente d'envoi.
error-help-topic = Pas de commande `{ $topic }`. Tapez /aide pour la liste.
error-help-topic-suggest = Pas de commande `{ $topic }`. Vouliez-vous dire { $suggestions } ?
error-invalid-setting = `{ $value }` n'est pas un réglage. Les réglages sont : timezone, language, verification, approval, reminders, confirm, waitlist.
error-invalid-language = `{ $value }` n'est pas une langue que Muster parle : écrivez `en` ou `fr`.
error-invalid-verification = `{ $value }` n'est pas une règle de vérification : écrivez `open` (tout le monde peut proposer) ou `required` (seulement les membres vérifiés).
error-invalid-approval = `{ $value }` n'est pas une règle d'approbation : écrivez `open` (les propositions des membres sont publiées aussitôt) ou `required` (un organisateur les approuve).
error-invalid-waitlist = `{ $value }` n'est pas un mode de liste d'attente : écrivez `auto` (la première personne en attente est promue) ou `notify` (la place est proposée).
error-invalid-reminders = `{ $value }` n'est pas une liste de rappels : écrivez des délais avant le début, comme `24h,1h` ou `2j,2h`, ou `off`.
error-invalid-confirm = `{ $value }` n'est pas une étape de confirmation : écrivez combien de temps avant le début, comme `24h`, ou `off`.
error-invalid-timezone = `{ $value }` n'est pas un fuseau horaire.{ $suggestion ->
    [none] {" "}Écrivez un nom de fuseau comme `Europe/Paris` ou `America/Montreal`.
   *[other] {" "}Vouliez-vous dire `{ $suggestion }` ?
}
calendar-not-configured = Les calendriers ont besoin du serveur web, qui n'est pas encore configuré.

## Rôles et mots
role-member = membres
role-organiser = organisateur·rices
role-admin = administrateur·rices
verified = (vérifié·e)
reason = Motif : { $reason }

## Aide
help-intro = Commandes de Muster (commencez par / ou !) :
help-outro = Détails : /aide <commande>, par exemple /aide evenement nouveau. Chaque commande a aussi un nom anglais.
help-names = Noms : { $en } · { $fr }
help-group-general = Vous
help-group-sections = Sections
help-group-initiatives = Initiatives
help-group-events = Évènements
help-group-announcements = Annonces et statistiques

usage-help = /aide [commande]
usage-start = /start
usage-join = /rejoindre
usage-leave = /quitter
usage-whoami = /moi
usage-link = /lier [code]
usage-mydata = /mesdonnees
usage-forgetme = /oubliemoi [confirmer]
usage-privacy = /confidentialite public|prive
usage-language = /langue fr|en
usage-section-new = /section nouvelle <slug> "<nom>" [in <slug-parent>]
usage-section-link = /section lier <slug>
usage-section-unlink = /section delier
usage-section = /section [<slug>]
usage-sections = /sections
usage-settings = /reglages [fuseau|langue|verification|approbation|rappels|confirmation|attente <valeur>]
usage-role = /role <membre> member|organiser|admin
usage-verify = /verifier <membre>
usage-unverify = /unverify <membre>
usage-members = /membres [<slug>]
usage-initiative-new = /initiative nouvelle "<titre>" [description…]
usage-initiatives = /initiatives [toutes|miennes]
usage-initiative = /initiative <n°>
usage-support = /soutenir <n°>
usage-unsupport = /retirer <n°>
usage-initiative-approve = /initiative approuver <n°>
usage-initiative-reject = /initiative rejeter <n°> [motif]
usage-initiative-close = /initiative fermer <n°>
usage-event-new = /evenement nouveau "<titre>" <quand> [lieu "<lieu>"] [pour <durée>] [places <n>] [initiative <n°>] [chaque semaine|chaque mois]
usage-events = /evenements [semaine|mois|tout]
usage-event = /evenement <n°>
usage-event-edit = /evenement modifier <n°> titre|quand|lieu|places|duree <valeur>
usage-event-cancel = /evenement annuler <n°> [motif]
usage-event-stop = /evenement arreter <id>
usage-rsvp = /rsvp <n°> oui|peutetre|non [+<invités>]
usage-attendees = /participants <n°>
usage-nudge = /relancer <n°>
usage-event-approve = /evenement approuver <n°>
usage-event-reject = /evenement rejeter <n°> [motif]
usage-checkin = /pointer <id> <membre> [<membre>…]
usage-calendar = /calendrier [moi]
usage-confirm = /confirmer <n°>
usage-announce = /annoncer [à <quand>] [vers <slug>] [tous] <texte…>
usage-announcements = /annonces
usage-announce-cancel = /annonce annuler <n°>
usage-schedule = /programmer digest "<cron>"
usage-schedules = /programmes
usage-unschedule = /deprogrammer <n°>
usage-stats = /stats [<slug>]

help-help = Liste les commandes, ou en explique une.
help-start = Vous accueille et liste les commandes.
help-join = Vous rend membre de la section liée à ce salon.
help-leave = Met fin à votre adhésion à la section de ce salon.
help-whoami = Montre vos comptes, sections, rôles et si vous êtes vérifié·e.
help-link = Sans code : vous envoie un code à usage unique (valable 10 minutes). Avec un code, tapé sur une autre plateforme : réunit les deux comptes en un seul membre.
help-mydata = Vous envoie en privé tout ce que Muster garde sur vous.
help-forgetme = Efface vos données personnelles (demande confirmation). Vos réponses passées restent comptées, anonymement.
help-privacy = Si les autres membres peuvent voir votre nom dans les listes de participants (les organisateur·rices le peuvent toujours).
help-language = La langue dans laquelle Muster vous répond.
help-section-new = Crée une section, à la racine ou sous un parent. Les réglages sont hérités du parent.
help-section-link = Lie ce salon à une section : il recevra ses évènements et ses annonces.
help-section-unlink = Délie ce salon de sa section.
help-section = Montre les détails et réglages d'une section.
help-sections = Montre l'arbre des sections avec leur nombre de membres.
help-settings = Montre ou change les réglages de la section : fuseau Europe/Paris, langue fr|en, verification requise|ouverte, approbation requise|ouverte, rappels 24h,1h, confirmation 24h|non, attente auto|notify.
help-role = Donne un rôle à un membre dans cette section (et celles en dessous).
help-verify = Marque un membre comme vérifié dans cette section.
help-unverify = Retire la vérification d'un membre.
help-members = Liste les membres d'une section (organisateur·rices).
help-initiative-new = Propose une initiative dans cette section.
help-initiatives = Liste les initiatives : actives, toutes, ou les vôtres.
help-initiative = Montre une initiative et son nombre de soutiens.
help-support = Soutient une initiative.
help-unsupport = Retire votre soutien.
help-initiative-approve = Ouvre une initiative proposée (organisateur·rices).
help-initiative-reject = Rejette une initiative proposée (organisateur·rices).
help-initiative-close = Clôt une initiative (organisateur·rices).
help-event-new = Crée un évènement. Les heures sont lues dans le fuseau de la section : 2026-12-01 19:30, 01/12 19h30, demain 19h, vendredi 18h30, dans 2h.
help-events = Liste les évènements à venir de cette section et de celles en dessous.
help-event = Montre la fiche d'un évènement avec ses compteurs et ses boutons de réponse.
help-event-edit = Modifie un évènement ; les participant·es sont prévenu·es du changement.
help-event-cancel = Annule un évènement ; les participant·es sont prévenu·es.
help-event-stop = Arrête une série récurrente : l'événement garde sa date, et aucune occurrence n'est créée après lui. `/evenement annuler <id> serie` fait de même.
help-rsvp = Répond à un évènement : oui, peut-être ou non, avec +n invité·es. Au-delà de la capacité, vous êtes en liste d'attente et promu·e automatiquement quand une place se libère.
help-attendees = Qui vient, peut-être, ne vient pas, et la liste d'attente. Les noms sont visibles des organisateur·rices, et de tous pour les membres qui l'acceptent.
help-nudge = Envoie un rappel privé aux membres de la section qui n'ont pas répondu (organisateur·rices).
help-event-approve = Approuve un évènement proposé par un membre (organisateur·rices).
help-event-reject = Rejette un évènement proposé par un membre (organisateur·rices).
help-checkin = Enregistre la présence d'un membre (organisateur·rices, après le début).
help-calendar = L'adresse du calendrier de la section, ou du vôtre.
help-confirm = Confirme que vous venez toujours.
help-announce = Envoie une annonce à chaque salon d'une section ; `tous` inclut les sections en dessous.
help-announcements = Liste les annonces en attente d'envoi.
help-announce-cancel = Annule une annonce programmée.
help-schedule = Publie l'agenda selon un calendrier (cron dans le fuseau de la section), par exemple "0 9 * * MON".
help-schedules = Liste les programmations de la section.
help-unschedule = Supprime une programmation.
help-stats = Membres, initiatives, évènements, taux de réponse et de présence.

## Sections
section-created = Section { $name } créée (`{ $slug }`). Liez-y un salon avec `/section lier { $slug }`.
room-linked = Ce salon est maintenant lié à { $name }.
room-unlinked = Ce salon n'est plus lié à { $name }.
section-details = { $name } (`{ $slug }`) — parent : { $parent } — { $members } membres, { $rooms } salons liés
sections-none = Pas encore de section. Un·e administrateur·rice peut en créer une avec `/section nouvelle <slug> "<nom>"`.
sections-heading = Sections :
sections-line = { $name } (`{ $slug }`) — { $members } membres
settings-show = Fuseau : { $timezone } · langue : { $language } · vérification : { $verification } · approbation : { $approval } · rappels : { $reminders } · confirmation : { $confirm } · attente : { $waitlist }
settings-changed = { $name } : { $key } vaut maintenant { $value }.

## Membres
join-already = Vous êtes déjà membre de { $name }.
join-done = Bienvenue dans { $name } !
leave-done = Vous avez quitté { $name }.
whoami-head = Vous êtes { $name } (membre n°{ $id }).
whoami-identities = Comptes : { $identities }
whoami-root = Vous êtes administrateur·rice de toute l'organisation.
whoami-no-sections = Vous n'êtes membre d'aucune section ; tapez /rejoindre dans le salon d'une section.
whoami-section = { $name } : { $role } { $verified }
link-code = Votre code : { $code } — tapez `/lier { $code }` sur votre autre compte dans les 10 minutes.
link-code-sent = Je vous ai envoyé un code en privé.
link-done = Vos comptes ne font plus qu'un membre : { $name } (n°{ $id }).
mydata-head = Tout ce que Muster garde sur vous :
mydata-sent = Je vous ai envoyé vos données en privé.
forgetme-ask = Ceci efface votre nom, vos comptes et vos adhésions. Vos réponses passées restent comptées, anonymement. Pour confirmer, tapez `/oubliemoi confirmer`.
forgetme-done = Vos données personnelles ont été effacées.
error-forgetme-unasked = Rien n'a été effacé. Pour effacer vos données, tapez d'abord `/oubliemoi`, lisez ce qui sera effacé, puis `/oubliemoi confirmer` dans les 10 minutes.
error-forgetme-last-admin = Rien n'a été effacé : vous êtes le dernier administrateur, et personne ne pourrait plus gérer l'organisation. Donnez d'abord le rôle d'admin à quelqu'un (`/role <membre> admin` dans le salon d'une section), puis réessayez.
privacy-public = Les autres membres peuvent maintenant voir votre nom dans les listes de participants.
privacy-private = Seul·es les organisateur·rices voient maintenant votre nom dans les listes de participants.
language-set = Je vous répondrai en français.
role-set = { $member } fait maintenant partie des { $role } de { $section }.
verify-done = { $member } est vérifié·e dans { $section }.
unverify-done = { $member } n'est plus vérifié·e dans { $section }.
members-head = { $name } : { $count } membres
members-line = n°{ $id } { $name } — { $role } { $verified }

## Initiatives
initiative-proposed = L'initiative n°{ $id } « { $title } » est proposée ; un·e organisateur·rice va l'examiner.
initiative-created = L'initiative n°{ $id } « { $title } » est ouverte. Soutenez-la avec /soutenir { $id }.
initiatives-head = Initiatives de { $name } :
initiatives-line = n°{ $id } { $title } — { $status }, { $supporters } soutiens
initiatives-none = Pas encore d'initiative ici. Proposez-en une avec /initiative nouvelle "<titre>".
initiative-status-proposed = proposée
initiative-status-open = ouverte
initiative-status-closed = close
initiative-status-rejected = rejetée
initiative-details = n°{ $id } { $title } — { $status } dans { $section } — { $supporters } soutiens
support-done = Vous soutenez n°{ $id } « { $title } » ({ $count } soutiens).
unsupport-done = Vous ne soutenez plus n°{ $id } « { $title } » ({ $count } soutiens).
initiative-approved = L'initiative n°{ $id } « { $title } » est ouverte.
initiative-rejected = L'initiative n°{ $id } « { $title } » est rejetée.
initiative-closed = L'initiative n°{ $id } « { $title } » est close.
initiative-approved-notice = Votre initiative n°{ $id } « { $title } » a été approuvée et est ouverte.
initiative-rejected-notice = Votre initiative n°{ $id } « { $title } » n'a pas été retenue. { $reason }

## Évènements
card-title = 📅 n°{ $id } { $title } — { $span }
card-place = 📍 { $place }
card-counts = ✅ { $going } viennent · ❔ { $maybe } peut-être · ❌ { $declined } ne viennent pas
card-capacity = { $capacity } places, { $left } restantes · liste d'attente : { $waitlist }
card-every-weekly = 🔁 chaque semaine
card-every-monthly = 🔁 chaque mois
card-cancelled = ⛔ Annulé
card-proposed = ⏳ En attente d'approbation
card-rejected = ⛔ Non retenu
button-going = ✅ Je viens
button-maybe = ❔ Peut-être
button-declined = ❌ Je ne viens pas
event-proposed = L'évènement n°{ $id } « { $title } » est proposé ; un·e organisateur·rice va l'examiner.
events-none = Aucun évènement à venir dans { $name }.
events-head = À venir dans { $name } :
events-line = n°{ $id } { $when } — { $title } ({ $going } inscrit·es)
events-proposed-mark = [proposé]
events-more = …et { $count } de plus : /evenements tout
field-title = titre
field-when = horaire
field-place = lieu
field-cap = capacité
field-for = durée
event-changed-notice = Changement pour n°{ $id } « { $title } » : { $field } { $old } → { $new }
event-cancelled = L'évènement n°{ $id } « { $title } » est annulé ; les participant·es sont prévenu·es.
event-cancelled-notice = Annulé : n°{ $id } « { $title } » ({ $when }). { $reason }
rsvp-going = Vous venez à « { $title } ».
rsvp-maybe = Vous viendrez peut-être à « { $title } ».
rsvp-declined = Vous ne venez pas à « { $title } » ; merci de l'avoir dit.
rsvp-waitlisted = « { $title } » est complet : vous êtes n°{ $position } sur la liste d'attente, et serez prévenu·e si une place se libère.
rsvp-promoted-notice = Une place s'est libérée : vous venez maintenant à n°{ $id } « { $title } » ({ $when }).
rsvp-offer-notice = Une place est libre pour n°{ $id } « { $title } ». Prenez-la avec /rsvp { $id } oui.
attendees-head = n°{ $id } { $title } : { $going } viennent, { $maybe } peut-être, { $declined } ne viennent pas, { $waitlist } en attente
attendees-hidden = { $count } autres
attendees-going = Viennent
attendees-maybe = Peut-être
attendees-declined = Ne viennent pas
attendees-waitlisted = Liste d'attente
nudge-notice = Venez-vous à n°{ $id } « { $title } » ({ $when }) ? Répondez avec /rsvp { $id } oui|peutetre|non.
nudge-done = { $count ->
    [one] Rappel envoyé à 1 membre qui n'avait pas répondu.
   *[other] Rappel envoyé à { $count } membres qui n'avaient pas répondu.
}
event-approved = L'évènement n°{ $id } « { $title } » est approuvé.
event-rejected = L'évènement n°{ $id } « { $title } » est rejeté.
event-approved-notice = Votre évènement n°{ $id } « { $title } » a été approuvé.
event-rejected-notice = Votre évènement n°{ $id } « { $title } » n'a pas été retenu. { $reason }
checkin-done = { $member } est pointé·e à « { $title } ».
checkin-already = { $member } est déjà pointé·e.
checkin-not-going = { $member } n'a pas répondu présent ({ $status }) : pas de pointage. S'il ou elle est venu·e, qu'il ou elle réponde d'abord `/repondre <id> oui`.
checkin-no-answer = { $member } n'a jamais répondu : pas de pointage. S'il ou elle est venu·e, qu'il ou elle réponde d'abord `/repondre <id> oui`.
event-series-stopped = La série de #{ $id } « { $title } » s'arrête : plus d'occurrence après { $when }.
error-event-not-recurring = L'événement #{ $id } ne se répète pas ; pour l'annuler, utilisez `/evenement annuler { $id }`.
confirm-done = Merci, à bientôt à « { $title } » !

## Annonces
announce-done = { $count ->
    [one] Annonce n°{ $id } envoyée à 1 salon.
   *[other] Annonce n°{ $id } envoyée à { $count } salons.
}
announcements-none = Aucune annonce en attente d'envoi.
announce-cancelled = L'annonce n°{ $id } est annulée.

## Statistiques
stats = { $name } : { $members } membres ({ $verified } vérifié·es)
    Initiatives : { $open } ouvertes, { $proposed } proposées, { $closed } closes — { $supporters } soutiens
    Évènements : { $upcoming } à venir, { $past } passés — taux de réponse { $answer_rate }
    Présence : { $attendance } ({ $noshows } absences)

## Travail programmé
reminder-head = ⏰ Rappel — commence dans { $lead } :
confirm-ask = Venez-vous toujours à n°{ $id } « { $title } » ({ $when }) ? Confirmez, ou annulez pour libérer votre place pour la liste d'attente.
button-confirm = 👍 Je viens
button-cancel = ❌ Annuler
digest-head = 🗓 À venir dans { $name } :
digest-line = n°{ $id } { $when } — { $title } ({ $going } inscrit·es)
digest-empty = Rien de prévu cette semaine.
announce-scheduled = L'annonce n°{ $id } sera envoyée { $when }. Voir /annonces ; annulez avec /annonce annuler { $id }.
schedule-created = Résumé n°{ $id } programmé (`{ $cron }`, { $timezone }) ; prochain : { $next }.
schedules-none = Aucune programmation dans cette section.
schedules-line = n°{ $id } `{ $cron }` — prochain : { $next }
jobs-dead-line = ⚠ Échec définitif : { $key } ({ $error })
unschedule-done = Programmation n°{ $id } supprimée.
error-no-schedule = Il n'y a pas de programmation n°{ $id } dans cette section.
error-cron = { $reason }. Cinq champs : minute heure jour-du-mois mois jour-de-la-semaine, par exemple "0 9 * * MON".

## Member preferences
reminders-on = Vous recevrez aussi les rappels en privé, pour les évènements où vous avez répondu oui ou peut-être.
reminders-off = Les rappels ne viendront plus que dans les salons de votre section.
usage-reminders = /rappels oui|non
help-reminders = Si les rappels d'évènements vous arrivent aussi en privé (évènements où vous avez répondu oui ou peut-être).
