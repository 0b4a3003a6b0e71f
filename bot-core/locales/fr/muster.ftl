# Muster — messages en français. Mêmes identifiants que en/muster.ftl.

## Erreurs
error-slow-down = Vous envoyez des commandes trop vite ; attendez une minute puis réessayez.
notice-unreachable = { $name }, je ne peux pas vous écrire en privé. Ouvrez d'abord une conversation privée avec moi (sur Telegram : touchez mon nom, puis Démarrer), puis redemandez.
error-internal = Désolé, un problème est survenu de notre côté et rien n'a été modifié. Référence : { $reference }
error-unknown-command = Commande inconnue `{ $word }`. Tapez /aide pour voir les commandes.
error-unknown-command-suggest = Commande inconnue `{ $word }`. Vouliez-vous dire { $suggestions } ?
error-missing = Il manque { argument-name }.
error-invalid = Valeur invalide pour { argument-name } : `{ $value }`.
# Le nom d'un argument de commande, d'après l'`argument` de l'analyseur
# (`title`, `when`…), avec son article ; pour error-missing et error-invalid.
argument-name = { $argument ->
    [id] le numéro
    [member] le membre
    [role] le rôle
    [slug] le slug
    [name] le nom
    [parent] la section parente
    [title] le titre
    [when] la date et l'heure
    [place] le lieu
    [duration] la durée
    [capacity] le nombre de places
    [initiative] le numéro de l'initiative
    [recurrence] la répétition
    [field] le champ à modifier
    [answer] la réponse
    [guests] le nombre d'invité·es
    [text] le texte
    [cron] la programmation
    [visibility] la visibilité
    [switch] le choix (oui ou non)
    [language] la langue
    [filter] le filtre
    [range] la période
    [setting] le réglage
    [timezone] le fuseau horaire
    [verification] la règle de vérification
    [approval] la règle d'approbation
    [reminders] les rappels
    [confirm] le délai de confirmation
    [waitlist] le mode de liste d'attente
   *[other] « { $argument } »
}
error-invalid-when = Je ne sais pas lire `{ $value }` comme une date et une heure. Écrivez par exemple `demain 19h`, `vendredi 18h30`, `15 décembre 19h30` ou `2026-12-15 19:30` ; pour annoncer un texte qui commence par « à », mettez le texte entre guillemets.
error-invalid-when-split = Je ne sais pas où s'arrête l'heure dans `{ $value }` : mettez le texte entre guillemets, par exemple `/annoncer à vendredi 18h "10 bénévoles recherchés"`.
error-unexpected = `{ $extra }` en trop.
error-unclosed-quote = Un guillemet n'est pas fermé.
error-too-long = Ce message est trop long pour une commande.
usage = Syntaxe : { $usage }
error-room-not-linked = Ce salon n'est lié à aucune section. Un·e organisateur·rice peut le lier avec `/section lier <slug>` (voir `/sections`).
error-no-section = Il n'y a pas de section `{ $slug }`. Voir `/sections`.
error-forbidden = Seul·es les { $role } de { $section } peuvent faire cela.
error-root-only = Seul·e un·e administrateur·rice peut créer une section racine ; indiquez une section parente avec `dans <slug>`.
error-bad-slug = `{ $slug }` n'est pas un slug valide : utilisez de 2 à 40 lettres minuscules, chiffres et tirets, par exemple `paris-11`.
error-bad-name = Le nom doit faire de 1 à 100 caractères.
error-slug-taken = Le slug `{ $slug }` est déjà pris.
error-link-direct = Une conversation privée ne peut pas être liée à une section ; liez un salon de groupe.
error-no-member = Aucun membre `{ $member }` ici. Utilisez une mention ou un numéro de membre, par exemple `#12`.
error-not-member = Vous n'êtes pas membre de { $name }.
error-link-code = Ce code est inconnu ou expiré. Tapez /lier sur votre autre compte pour en obtenir un nouveau.
error-link-self = Ce code est le vôtre : utilisez-le depuis votre autre compte.
error-verification-required = Dans { $section }, il faut être membre vérifié·e pour proposer ceci. Un·e organisateur·rice peut vous vérifier.
error-bad-title = Le titre doit faire de 1 à 200 caractères.
error-no-initiative = Il n'y a pas d'initiative n°{ $id }.
error-initiative-not-open = L'initiative n°{ $id } n'est pas ouverte.
error-already-supporting = Vous soutenez déjà l'initiative n°{ $id }.
error-not-supporting = Vous ne soutenez pas l'initiative n°{ $id }.
error-initiative-status = L'initiative n°{ $id } est { $status } ; impossible de faire cela maintenant.
error-when-unrecognised = Je n'ai pas compris l'heure `{ $when }`. Écrivez par exemple `{ $example }`, `demain 19h` ou `dans 2h` (fuseau { $timezone }).
error-when-past = { $local } est déjà passé ({ $timezone }). Donnez une heure à venir, par exemple `{ $example }`.
error-when-ambiguous = { $local } existe deux fois dans le fuseau { $timezone } (changement d'heure) ; donnez une autre heure, par exemple `{ $example }`.
error-when-nonexistent = { $local } n'existe pas dans le fuseau { $timezone } (changement d'heure) ; donnez une autre heure, par exemple `{ $example }`.
error-when-invalid = `{ $when }` n'est pas une date ou une heure valide. Écrivez par exemple `{ $example }`.
error-when-too-far = `{ $when }` est trop loin dans le temps (plus de 10 ans).
error-when-needs-time = `{ $when }` donne un jour mais pas d'heure : ajoutez-la, par exemple `{ $when } 19h`.
error-no-event = Il n'y a pas d'évènement n°{ $id }.
error-event-closed = L'évènement n°{ $id } est annulé ou terminé ; il ne peut plus être modifié.
error-capacity-below = { $taken ->
    [one] { $taken } place est déjà prise ; la capacité ne peut pas être plus basse.
   *[other] { $taken } places sont déjà prises ; la capacité ne peut pas être plus basse.
}
error-event-proposed = L'évènement n°{ $id } attend l'approbation d'un·e organisateur·rice.
error-event-started = L'évènement n°{ $id } a déjà commencé.
error-rsvp-deadline = Les réponses à l'évènement n°{ $id } sont closes.
error-no-room = Pas assez de places pour plus d'invité·es : { $left ->
        [0] il n'en reste aucune
       *[other] il en reste { $left }
    }. Vous gardez votre place telle quelle.
rsvp-party-larger = Un groupe de { $party } personnes dépasse l'évènement entier ({ $capacity ->
        [one] { $capacity } place
       *[other] { $capacity } places
    } en tout) : vous serez prévenu·e si sa capacité grandit assez.
error-event-not-proposed = L'évènement n°{ $id } n'attend pas d'approbation.
error-checkin-early = Le pointage ouvre au début de l'évènement ({ $when }).
error-already-checked-in = { $member } est déjà pointé·e.
error-confirm-not-going = Vous ne participez pas à l'évènement n°{ $id } ; répondez d'abord avec /rsvp.
error-bad-announcement = L'annonce doit faire de 1 à 4000 caractères.
error-no-rooms = Aucun salon n'est lié à { $name } : liez-en d'abord un avec `/section lier <slug>`.
error-no-announcement = Il n'y a pas d'annonce n°{ $id }.
error-announcement-not-pending = L'annonce n°{ $id } n'est pas en attente d'envoi.
error-help-topic = Pas de commande `{ $topic }`. Tapez /aide pour la liste.
error-help-topic-suggest = Pas de commande `{ $topic }`. Vouliez-vous dire { $suggestions } ?
error-invalid-setting = `{ $value }` n'est pas un réglage. Les réglages sont : fuseau, langue, vérification, approbation, rappels, confirmation, attente.
error-invalid-language = `{ $value }` n'est pas une langue que Muster parle : écrivez `en` ou `fr`.
error-invalid-verification = `{ $value }` n'est pas une règle de vérification : écrivez `ouverte` (tout le monde peut proposer) ou `requise` (seuls les membres vérifiés peuvent proposer).
error-invalid-approval = `{ $value }` n'est pas une règle d'approbation : écrivez `ouverte` (les propositions des membres sont publiées aussitôt) ou `requise` (un·e organisateur·rice les approuve).
error-invalid-waitlist = `{ $value }` n'est pas un mode de liste d'attente : écrivez `auto` (la première personne en attente prend la place) ou `prévenir` (la place lui est proposée).
error-invalid-reminders = `{ $value }` n'est pas une liste de rappels : écrivez des délais avant le début, comme `24h,1h` ou `2j,2h`, ou `aucun`.
error-invalid-confirm = `{ $value }` n'est pas une étape de confirmation : écrivez combien de temps avant le début, comme `24h`, ou `non`.
error-invalid-timezone = `{ $value }` n'est pas un fuseau horaire.{ $suggestion ->
    [none] {" "}Écrivez un nom de fuseau comme `Europe/Paris` ou `America/Montreal`.
   *[other] {" "}Vouliez-vous dire `{ $suggestion }` ?
}
calendar-not-configured = Les calendriers ont besoin du serveur web, qui n'est pas encore configuré.

## Rôles et mots
role-member = membres
role-organiser = organisateur·rices
role-admin = administrateur·rices
# Un rôle comme titre, pour un seul membre : moi et la liste des membres.
role-singular-member = membre
role-singular-organiser = organisateur·rice
role-singular-admin = administrateur·rice
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
usage-section-new = /section nouvelle <slug> "<nom>" [dans <slug-parent>]
usage-section-link = /section lier <slug>
usage-section-unlink = /section delier
usage-section = /section [<slug>]
usage-sections = /sections
usage-settings = /reglages [fuseau|langue|verification|approbation|rappels|confirmation|attente <valeur>]
usage-role = /role <membre> membre|organisateur|admin
usage-verify = /verifier <membre>
usage-unverify = /deverifier <membre>
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
usage-event-stop = /evenement arreter <n°>
usage-rsvp = /rsvp <n°> oui|peutetre|non [+<invités>]
usage-attendees = /participants <n°>
usage-nudge = /relancer <n°>
usage-event-approve = /evenement approuver <n°>
usage-event-reject = /evenement rejeter <n°> [motif]
usage-checkin = /pointer <n°> <membre> [<membre>…]
usage-calendar = /calendrier [moi]
usage-confirm = /confirmer <n°>
usage-announce = /annoncer [à <quand>] [vers <slug>] [tous] <texte…>
usage-announcements = /annonces
usage-announce-cancel = /annonce annuler <n°>
usage-schedule = /programmer resume "<cron>"
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
help-forgetme = Efface vos données personnelles (après confirmation). Vos réponses passées restent comptées, anonymement.
help-privacy = Choisit si les autres membres peuvent voir votre nom dans les listes de participants (les organisateur·rices le peuvent toujours).
help-language = Choisit la langue dans laquelle Muster vous répond.
help-section-new = Crée une section, à la racine ou sous un parent. Les réglages sont hérités du parent.
help-section-link = Lie ce salon à une section : il recevra ses évènements et ses annonces.
help-section-unlink = Délie ce salon de sa section.
help-section = Montre les détails et réglages d'une section.
help-sections = Montre l'arbre des sections avec leur nombre de membres.
help-settings = Montre ou change les réglages de la section : fuseau Europe/Paris, langue fr|en, vérification requise|ouverte, approbation requise|ouverte, rappels 24h,1h|aucun, confirmation 24h|non, attente auto|prévenir.
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
help-initiative-close = Clôture une initiative (organisateur·rices).
help-event-new = Crée un évènement. Les heures sont lues dans le fuseau de la section : 2026-12-01 19:30, 01/12 19h30, demain 19h, vendredi 18h30, dans 2h.
help-events = Liste les évènements à venir de cette section et de celles en dessous.
help-event = Montre la fiche d'un évènement avec ses compteurs et ses boutons de réponse.
help-event-edit = Modifie un évènement ; les participant·es sont prévenu·es du changement.
help-event-cancel = Annule un évènement ; les participant·es sont prévenu·es.
help-event-stop = Arrête une série récurrente : l'évènement garde sa date, et aucune occurrence n'est créée après lui. `/evenement annuler <n°> serie` fait de même.
help-rsvp = Répond à un évènement : oui, peut-être ou non, avec +n invité·es. Au-delà de la capacité, vous êtes en liste d'attente et promu·e automatiquement quand une place se libère.
help-attendees = Qui vient, qui viendra peut-être, qui ne vient pas, et la liste d'attente. Les noms sont visibles des organisateur·rices, et de tout le monde pour les membres qui l'ont accepté.
help-nudge = Envoie un rappel privé aux membres de la section qui n'ont pas répondu (organisateur·rices).
help-event-approve = Approuve un évènement proposé par un membre (organisateur·rices).
help-event-reject = Rejette un évènement proposé par un membre (organisateur·rices).
help-checkin = Enregistre la présence d'un membre (organisateur·rices, après le début).
help-calendar = Donne l'adresse du calendrier de la section, ou celle du vôtre.
help-confirm = Confirme que vous venez toujours.
help-announce = Envoie une annonce à chaque salon d'une section ; `tous` inclut les sections en dessous.
help-announcements = Liste les annonces en attente d'envoi.
help-announce-cancel = Annule une annonce programmée.
help-schedule = Publie l'agenda à intervalles réguliers (cron, dans le fuseau de la section), par exemple `0 9 * * MON`.
help-schedules = Liste les programmations de la section.
help-unschedule = Supprime une programmation.
help-stats = Membres, initiatives, évènements, taux de réponse et de présence.

## Sections
section-created = Section { $name } créée (`{ $slug }`). Liez-y un salon avec `/section lier { $slug }`.
room-linked = Ce salon est maintenant lié à { $name }.
room-unlinked = Ce salon n'est plus lié à { $name }.
section-details = { $name } (`{ $slug }`) — section parente : { $parent } — { $members ->
        [one] { $members } membre
       *[other] { $members } membres
    }, { $rooms ->
        [one] { $rooms } salon lié
       *[other] { $rooms } salons liés
    }
sections-none = Pas encore de section. Un·e administrateur·rice peut en créer une avec `/section nouvelle <slug> "<nom>"`.
sections-heading = Sections :
sections-line = { $name } (`{ $slug }`) — { $members ->
        [one] { $members } membre
       *[other] { $members } membres
    }
settings-show = Fuseau horaire : { $timezone } · langue : { $language ->
        [en] anglais
        [fr] français
       *[other] { $language }
    } · vérification : { $verification ->
        [open] ouverte
        [required] requise
       *[other] { $verification }
    } · approbation : { $approval ->
        [open] ouverte
        [required] requise
       *[other] { $approval }
    } · rappels : { $reminders ->
        [off] aucun
       *[other] { $reminders }
    } · confirmation : { $confirm ->
        [off] non
       *[other] { $confirm }
    } · liste d'attente : { $waitlist ->
        [auto] automatique
        [notify] prévenir
       *[other] { $waitlist }
    }
# Le code passe la clé et la valeur du réglage telles quelles (`approval`,
# `open`) ; setting-name et setting-value les disent en français.
setting-name = { $key ->
    [timezone] fuseau horaire
    [language] langue
    [verification] vérification
    [approval] approbation
    [reminders] rappels
    [confirm] confirmation
    [waitlist] liste d'attente
   *[other] { $key }
}
setting-value = { $value ->
    [en] anglais
    [fr] français
    [open] ouverte
    [required] requise
    [auto] automatique
    [notify] prévenir
    [off] { $key ->
        [reminders] aucun
       *[other] non
    }
   *[other] { $value }
}
settings-changed = { $name } : le réglage « { setting-name } » vaut maintenant « { setting-value } ».

## Membres
join-already = Vous êtes déjà membre de { $name }.
join-done = Bienvenue dans { $name } !
leave-done = Vous avez quitté { $name }.
whoami-head = Vous êtes { $name } (membre n°{ $id }).
whoami-identities = Comptes : { $identities }
whoami-root = Vous êtes administrateur·rice de toute l'organisation.
whoami-no-sections = Vous n'êtes encore membre d'aucune section ; tapez /rejoindre dans le salon d'une section.
whoami-section = { $name } : { $role } { $verified }
link-code = Votre code : { $code } — tapez `/lier { $code }` sur votre autre compte dans les 10 minutes.
link-code-sent = Je vous ai envoyé un code en privé.
link-done = Vos comptes sont maintenant réunis en un seul membre : { $name } (n°{ $id }).
mydata-head = Tout ce que Muster garde sur vous :
mydata-sent = Je vous ai envoyé vos données en privé.
forgetme-ask = Ceci efface votre nom, vos comptes et vos adhésions. Vos réponses passées restent comptées, anonymement. Pour confirmer, tapez `/oubliemoi confirmer`.
forgetme-done = Vos données personnelles ont été effacées.
error-forgetme-unasked = Rien n'a été effacé. Pour effacer vos données, tapez d'abord `/oubliemoi`, lisez ce qui sera effacé, puis `/oubliemoi confirmer` dans les 10 minutes.
error-forgetme-last-admin = Rien n'a été effacé : vous êtes la dernière personne à administrer l'organisation, et personne ne pourrait la gérer après vous. Donnez d'abord le rôle d'admin à quelqu'un (`/role <membre> admin` dans le salon d'une section), puis réessayez.
privacy-public = Les autres membres peuvent maintenant voir votre nom dans les listes de participants.
privacy-private = Seul·es les organisateur·rices voient maintenant votre nom dans les listes de participants.
language-set = Je vous répondrai en français.
role-set = { $member } fait maintenant partie des { $role } de { $section }.
verify-done = { $member } est vérifié·e dans { $section }.
unverify-done = { $member } n'est plus vérifié·e dans { $section }.
members-head = { $name } : { $count ->
        [one] { $count } membre
       *[other] { $count } membres
    }
members-line = n°{ $id } { $name } — { $role } { $verified }

## Initiatives
initiative-proposed = L'initiative n°{ $id } « { $title } » est proposée ; un·e organisateur·rice va l'examiner.
initiative-created = L'initiative n°{ $id } « { $title } » est ouverte. Soutenez-la avec /soutenir { $id }.
initiatives-head = Initiatives de { $name } :
initiatives-line = n°{ $id } { $title } — { $status }, { $supporters ->
        [one] { $supporters } soutien
       *[other] { $supporters } soutiens
    }
initiatives-none = Pas encore d'initiative ici. Proposez-en une avec `/initiative nouvelle "<titre>"`.
initiative-status-proposed = proposée
initiative-status-open = ouverte
initiative-status-closed = clôturée
initiative-status-rejected = rejetée
initiative-details = n°{ $id } { $title } — { $status } dans { $section } — { $supporters ->
        [one] { $supporters } soutien
       *[other] { $supporters } soutiens
    }
support-done = Vous soutenez l'initiative n°{ $id } « { $title } » ({ $count ->
        [one] { $count } soutien
       *[other] { $count } soutiens
    }).
unsupport-done = Vous ne soutenez plus l'initiative n°{ $id } « { $title } » ({ $count ->
        [one] { $count } soutien
       *[other] { $count } soutiens
    }).
initiative-approved = L'initiative n°{ $id } « { $title } » est ouverte.
initiative-rejected = L'initiative n°{ $id } « { $title } » est rejetée.
initiative-closed = L'initiative n°{ $id } « { $title } » est clôturée.
initiative-approved-notice = Votre initiative n°{ $id } « { $title } » a été approuvée et est ouverte.
initiative-rejected-notice = Votre initiative n°{ $id } « { $title } » n'a pas été retenue. { $reason }

## Évènements
card-title = 📅 n°{ $id } { $title } — { $span }
card-place = 📍 { $place }
card-counts = ✅ { $going ->
        [one] { $going } vient
       *[other] { $going } viennent
    } · ❔ { $maybe } peut-être · ❌ { $declined ->
        [one] { $declined } ne vient pas
       *[other] { $declined } ne viennent pas
    }
card-capacity = { $capacity ->
        [one] { $capacity } place
       *[other] { $capacity } places
    }, { $left ->
        [0] aucune de libre
        [one] { $left } libre
       *[other] { $left } libres
    } · liste d'attente : { $waitlist }
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
events-line = n°{ $id } { $when } — { $title } (inscrit·es : { $going })
events-proposed-mark = [proposé]
events-more = …et { $count ->
        [one] { $count } autre
       *[other] { $count } autres
    } : /evenements tout
field-title = titre
field-when = date et heure
field-place = lieu
field-cap = capacité
field-for = durée
event-changed-notice = Modification de l'évènement n°{ $id } « { $title } » : { $field } { $old } → { $new }
event-cancelled = L'évènement n°{ $id } « { $title } » est annulé ; les participant·es sont prévenu·es.
event-cancelled-notice = Annulé : n°{ $id } « { $title } » ({ $when }). { $reason }
rsvp-going = Vous venez à « { $title } ».
rsvp-maybe = Vous viendrez peut-être à « { $title } ».
rsvp-declined = Vous ne venez pas à « { $title } » ; merci d'avoir prévenu.
rsvp-waitlisted = « { $title } » est complet : vous êtes n°{ $position } sur la liste d'attente, et serez prévenu·e si une place se libère.
rsvp-promoted-notice = Une place s'est libérée : vous venez maintenant à l'évènement n°{ $id } « { $title } » ({ $when }).
rsvp-offer-notice = Une place est libre pour l'évènement n°{ $id } « { $title } ». Prenez-la avec /rsvp { $id } oui.
attendees-head = n°{ $id } { $title } : { $going ->
        [one] { $going } vient
       *[other] { $going } viennent
    }, { $maybe } peut-être, { $declined ->
        [one] { $declined } ne vient pas
       *[other] { $declined } ne viennent pas
    }, { $waitlist } en attente
attendees-hidden = { $count ->
    [one] { $count } autre
   *[other] { $count } autres
}
attendees-going = Viennent
attendees-maybe = Peut-être
attendees-declined = Ne viennent pas
attendees-waitlisted = Liste d'attente
# Une ligne de la liste des participants : un des libellés ci-dessus et les noms.
attendees-line = { $label } : { $names }
nudge-notice = Venez-vous à l'évènement n°{ $id } « { $title } » ({ $when }) ? Répondez avec /rsvp { $id } oui|peutetre|non.
nudge-done = { $count ->
    [0] Aucun rappel envoyé : tout le monde a répondu, ou personne ne peut être joint en privé.
    [one] Rappel envoyé à { $count } membre qui n'avait pas répondu.
   *[other] Rappel envoyé à { $count } membres qui n'avaient pas répondu.
}
event-approved = L'évènement n°{ $id } « { $title } » est approuvé.
event-rejected = L'évènement n°{ $id } « { $title } » est rejeté.
event-approved-notice = Votre évènement n°{ $id } « { $title } » a été approuvé.
event-rejected-notice = Votre évènement n°{ $id } « { $title } » n'a pas été retenu. { $reason }
checkin-done = { $member } est pointé·e à « { $title } ».
checkin-already = { $member } est déjà pointé·e.
checkin-not-going = { $member } n'a pas répondu « oui » ({ $status ->
        [maybe] peut-être
        [declined] ne vient pas
        [waitlisted] en liste d'attente
       *[other] { $status }
    }) : pas de pointage. Si la personne est venue, elle doit d'abord répondre `/rsvp <n°> oui`.
checkin-no-answer = { $member } n'a jamais répondu : pas de pointage. Si la personne est venue, elle doit d'abord répondre `/rsvp <n°> oui`.
event-series-stopped = La série de l'évènement n°{ $id } « { $title } » s'arrête : plus d'occurrence après { $when }.
error-event-not-recurring = L'évènement n°{ $id } ne se répète pas ; pour l'annuler, utilisez `/evenement annuler { $id }`.
confirm-done = Merci, à bientôt à « { $title } » !

## Annonces
announce-done = { $count ->
    [one] Annonce n°{ $id } envoyée à { $count } salon.
   *[other] Annonce n°{ $id } envoyée à { $count } salons.
}
announcements-none = Aucune annonce en attente d'envoi.
# Une annonce en attente, dans /annonces.
announcements-line = n°{ $id } { $when } — { $text }
announce-cancelled = L'annonce n°{ $id } est annulée.

## Statistiques
stats = { $name } : { $members ->
        [one] { $members } membre
       *[other] { $members } membres
    } ({ $verified ->
        [one] { $verified } vérifié·e
       *[other] { $verified } vérifié·es
    })
    Initiatives : { $open ->
        [one] { $open } ouverte
       *[other] { $open } ouvertes
    }, { $proposed ->
        [one] { $proposed } proposée
       *[other] { $proposed } proposées
    }, { $closed ->
        [one] { $closed } clôturée
       *[other] { $closed } clôturées
    } — { $supporters ->
        [one] { $supporters } soutien
       *[other] { $supporters } soutiens
    }
    Évènements : { $upcoming } à venir, { $past ->
        [one] { $past } passé
       *[other] { $past } passés
    } — taux de réponse { $answer_rate }
    Présence : { $attendance } ({ $noshows ->
        [one] { $noshows } absence
       *[other] { $noshows } absences
    })

## Travail programmé
reminder-head = ⏰ Rappel — commence dans { $lead } :
confirm-ask = Venez-vous toujours à l'évènement n°{ $id } « { $title } » ({ $when }) ? Confirmez, ou dites que vous ne venez plus pour laisser votre place à la liste d'attente.
button-confirm = 👍 Je viens
button-cancel = ❌ Je ne viens plus
digest-head = 🗓 À venir dans { $name } :
digest-line = n°{ $id } { $when } — { $title } (inscrit·es : { $going })
digest-empty = Rien de prévu cette semaine.
announce-scheduled = L'annonce n°{ $id } sera envoyée le { $when }. Voir /annonces ; annulez avec /annonce annuler { $id }.
schedule-created = Résumé n°{ $id } programmé (`{ $cron }`, { $timezone }) ; prochain envoi : { $next }.
schedules-none = Aucune programmation dans cette section.
schedules-line = n°{ $id } `{ $cron }` — prochain envoi : { $next }
jobs-dead-line = ⚠ Échec définitif : { $key } ({ $error })
unschedule-done = Programmation n°{ $id } supprimée.
error-no-schedule = Il n'y a pas de programmation n°{ $id } dans cette section.
error-cron = { $reason }. Cinq champs : minute heure jour-du-mois mois jour-de-la-semaine, par exemple `0 9 * * MON`.
# Les raisons montrées dans le { $reason } d'error-cron, une par type d'erreur.
error-cron-fields = { $count ->
    [one] Cette programmation a { $count } champ
   *[other] Cette programmation a { $count } champs
}
error-cron-invalid = Programmation invalide : { $detail }
error-cron-never = Cette programmation ne se déclenche jamais
error-cron-too-frequent = Cette programmation se déclenche plus souvent que toutes les { $minutes } minutes

## Préférences des membres
reminders-on = Vous recevrez aussi les rappels en privé, pour les évènements où vous avez répondu oui ou peut-être.
reminders-off = Les rappels ne viendront plus que dans les salons de votre section.
usage-reminders = /rappels oui|non
help-reminders = Choisit si les rappels d'évènements vous arrivent aussi en privé (pour les évènements où vous avez répondu oui ou peut-être).

# La file d'approbation.
approval-event-notice = { $author } propose l'évènement n°{ $id } « { $title } » dans { $section }. Approuvez-le ou refusez-le (`/evenement rejeter { $id } <motif>` pour dire pourquoi).
approval-initiative-notice = { $author } propose l'initiative n°{ $id } « { $title } » dans { $section }. Approuvez-la ou refusez-la (`/initiative rejeter { $id } <motif>` pour dire pourquoi).
button-approve = ✅ Approuver
button-reject = ❌ Refuser
pending-head = En attente d'approbation dans { $name } ({ $count }) :
pending-event = Évènement n°{ $id } « { $title } » ({ $when }) : `/evenement approuver { $id }` ou `/evenement rejeter { $id }`
pending-initiative = Initiative n°{ $id } « { $title } » : `/initiative approuver { $id }` ou `/initiative rejeter { $id }`
pending-none = Rien n'attend d'approbation dans { $name }.
error-proposal-waiting = { $kind ->
    [event] L'évènement
   *[other] L'initiative
} n°{ $id } attend l'approbation d'un·e organisateur·rice.
usage-pending = /enattente
help-pending = Liste les évènements et initiatives proposés par des membres qui attendent un·e organisateur·rice (organisateur·rices).

# A section's zone changed with events ahead.
timezone-events-clock = { $count ->
    [one] L'évènement à venir garde son heure, désormais en { $zone } (son instant change donc ; les rappels suivent). Pour garder les instants, tapez `/reglages fuseau { $zone } instants`.
   *[other] Les { $count } évènements à venir gardent leur heure, désormais en { $zone } (leurs instants changent donc ; les rappels suivent). Pour garder les instants, tapez `/reglages fuseau { $zone } instants`.
}
timezone-events-instants = { $count ->
    [one] L'évènement à venir garde son instant : son heure s'affiche désormais en { $zone }.
   *[other] Les { $count } évènements à venir gardent leur instant : leurs heures s'affichent désormais en { $zone }.
}

# After downtime.
catchup-head = Pendant que Muster était hors ligne dans { $name }, du { $from } au { $to } :
catchup-reminders = { $count ->
    [one] 1 rappel a été omis (son évènement avait commencé, ou un rappel plus récent est parti).
   *[other] { $count } rappels ont été omis (leurs évènements avaient commencé, ou un rappel plus récent est parti).
}
catchup-confirms = { $count ->
    [one] 1 demande de confirmation a été omise (l'évènement avait commencé).
   *[other] { $count } demandes de confirmation ont été omises (les évènements avaient commencé).
}
catchup-digests = { $count ->
    [one] 1 résumé a été omis (trop tard pour être utile).
   *[other] { $count } résumés ont été omis (trop tard pour être utiles).
}
catchup-held = { $count ->
    [one] L'annonce n°{ $first } était prévue entre-temps et vous attend : `/annonce envoyer { $first }` ou `/annonce annuler { $first }`.
   *[other] Les annonces { $announcements } étaient prévues entre-temps et vous attendent : voyez `/annonces`.
}
announce-late-note = (Envoyée avec { $minutes } min de retard : Muster était hors ligne.)
announcements-held-line = n°{ $id } retenue, prévue { $when } — { $text } (`/annonce envoyer { $id }` ou `/annonce annuler { $id }`)
jobs-missed-line = omis : { $key } (prévu { $when })
usage-announce-send = /annonce envoyer <id>
help-announce-send = Envoie maintenant une annonce retenue pendant que Muster était hors ligne (ou une qui attend son heure).
