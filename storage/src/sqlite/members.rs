//! Members, their platform identities, memberships and link codes, and the
//! two operations that rewrite a member wholesale: merge and forget.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use muster_core::domain::{Identity, LinkCode, Member, MemberId, Membership, Role, SectionId};
use muster_core::store::{MemberRepo, StoreError, StoreResult};

use super::{SqliteTx, db_err, expect_one, parse};

#[derive(sqlx::FromRow)]
struct MemberRow {
    id: i64,
    name: Option<String>,
    language: Option<String>,
    admin: bool,
    public_name: bool,
    direct_reminders: bool,
    created_at: DateTime<Utc>,
}

impl TryFrom<MemberRow> for Member {
    type Error = StoreError;

    fn try_from(row: MemberRow) -> StoreResult<Member> {
        Ok(Member {
            id: MemberId(row.id),
            name: row.name,
            language: row.language.as_deref().map(parse).transpose()?,
            admin: row.admin,
            public_name: row.public_name,
            direct_reminders: row.direct_reminders,
            created_at: row.created_at,
        })
    }
}

#[derive(sqlx::FromRow)]
struct IdentityRow {
    platform: String,
    user_id: String,
}

impl TryFrom<IdentityRow> for Identity {
    type Error = StoreError;

    fn try_from(row: IdentityRow) -> StoreResult<Identity> {
        Ok(Identity {
            platform: parse(&row.platform)?,
            user_id: row.user_id,
        })
    }
}

#[derive(sqlx::FromRow)]
struct MembershipRow {
    member: i64,
    section: i64,
    role: String,
    verified: bool,
    joined_at: DateTime<Utc>,
}

impl TryFrom<MembershipRow> for Membership {
    type Error = StoreError;

    fn try_from(row: MembershipRow) -> StoreResult<Membership> {
        Ok(Membership {
            member: MemberId(row.member),
            section: SectionId(row.section),
            role: parse(&row.role)?,
            verified: row.verified,
            joined_at: row.joined_at,
        })
    }
}

#[derive(sqlx::FromRow)]
struct LinkCodeRow {
    code: String,
    member: i64,
    expires_at: DateTime<Utc>,
}

impl From<LinkCodeRow> for LinkCode {
    fn from(row: LinkCodeRow) -> LinkCode {
        LinkCode {
            code: row.code,
            member: MemberId(row.member),
            expires_at: row.expires_at,
        }
    }
}

impl SqliteTx {
    async fn write_member(&mut self, id: Option<i64>, m: &Member) -> StoreResult<MemberId> {
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO members (id, name, language, admin, public_name, created_at, direct_reminders) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(id)
        .bind(&m.name)
        .bind(m.language.map(|l| l.as_str()))
        .bind(m.admin)
        .bind(m.public_name)
        .bind(m.created_at)
        .bind(m.direct_reminders)
        .fetch_one(&mut *self.tx)
        .await
        .map_err(db_err)?;
        Ok(MemberId(id))
    }

    async fn add_identity(&mut self, member: MemberId, identity: &Identity) -> StoreResult<()> {
        sqlx::query("INSERT INTO identities (platform, user_id, member) VALUES ($1, $2, $3)")
            .bind(identity.platform.as_str())
            .bind(&identity.user_id)
            .bind(member.0)
            .execute(&mut *self.tx)
            .await
            .map_err(db_err)?;
        Ok(())
    }

    /// Points every reference to `from` that is not part of its identity
    /// (authorship, audit) at `into`: the same person acted.
    async fn reassign_references(&mut self, from: MemberId, into: MemberId) -> StoreResult<()> {
        for sql in [
            "UPDATE initiatives SET proposer = $2 WHERE proposer = $1",
            "UPDATE events SET proposer = $2 WHERE proposer = $1",
            "UPDATE announcements SET author = $2 WHERE author = $1",
            "UPDATE schedules SET created_by = $2 WHERE created_by = $1",
            "UPDATE audit_log SET actor = $2 WHERE actor = $1",
            "UPDATE link_codes SET member = $2 WHERE member = $1",
            "UPDATE identities SET member = $2 WHERE member = $1",
        ] {
            sqlx::query(sql)
                .bind(from.0)
                .bind(into.0)
                .execute(&mut *self.tx)
                .await
                .map_err(db_err)?;
        }
        Ok(())
    }

    /// Where both belong to a section, one membership with the higher role,
    /// either verification and the earlier join.
    async fn merge_memberships(&mut self, from: MemberId, into: MemberId) -> StoreResult<()> {
        for theirs in self.memberships_of(from).await? {
            let merged = match self.membership(into, theirs.section).await? {
                Some(ours) => Membership {
                    member: into,
                    section: ours.section,
                    role: Role::max(ours.role, theirs.role),
                    verified: ours.verified || theirs.verified,
                    joined_at: ours.joined_at.min(theirs.joined_at),
                },
                None => Membership {
                    member: into,
                    ..theirs
                },
            };
            self.put_membership(&merged).await?;
        }
        sqlx::query("DELETE FROM memberships WHERE member = $1")
            .bind(from.0)
            .execute(&mut *self.tx)
            .await
            .map_err(db_err)?;
        Ok(())
    }
}

#[async_trait]
impl MemberRepo for SqliteTx {
    async fn create_member(
        &mut self,
        name: &str,
        identity: &Identity,
        admin: bool,
        now: DateTime<Utc>,
    ) -> StoreResult<Member> {
        let mut member = Member {
            id: MemberId(0),
            name: Some(name.to_string()),
            language: None,
            admin,
            // Privacy by default: names are shown to members only on opt-in.
            public_name: false,
            direct_reminders: false,
            created_at: now,
        };
        member.id = self.write_member(None, &member).await?;
        self.add_identity(member.id, identity).await?;
        Ok(member)
    }

    async fn insert_member(&mut self, member: &Member, identities: &[Identity]) -> StoreResult<()> {
        self.write_member(Some(member.id.0), member).await?;
        for identity in identities {
            self.add_identity(member.id, identity).await?;
        }
        Ok(())
    }

    async fn member(&mut self, id: MemberId) -> StoreResult<Option<Member>> {
        let row: Option<MemberRow> = sqlx::query_as("SELECT * FROM members WHERE id = $1")
            .bind(id.0)
            .fetch_optional(&mut *self.tx)
            .await
            .map_err(db_err)?;
        row.map(Member::try_from).transpose()
    }

    async fn member_by_identity(&mut self, identity: &Identity) -> StoreResult<Option<Member>> {
        let row: Option<MemberRow> = sqlx::query_as(
            "SELECT m.* FROM members m JOIN identities i ON i.member = m.id \
             WHERE i.platform = $1 AND i.user_id = $2",
        )
        .bind(identity.platform.as_str())
        .bind(&identity.user_id)
        .fetch_optional(&mut *self.tx)
        .await
        .map_err(db_err)?;
        row.map(Member::try_from).transpose()
    }

    async fn members(&mut self) -> StoreResult<Vec<Member>> {
        let rows: Vec<MemberRow> = sqlx::query_as("SELECT * FROM members ORDER BY id")
            .fetch_all(&mut *self.tx)
            .await
            .map_err(db_err)?;
        rows.into_iter().map(Member::try_from).collect()
    }

    async fn has_admin(&mut self) -> StoreResult<bool> {
        sqlx::query_scalar(
            "SELECT EXISTS (SELECT 1 FROM members WHERE admin) \
                 OR EXISTS (SELECT 1 FROM memberships WHERE role = $1)",
        )
        .bind(Role::Admin.as_str())
        .fetch_one(&mut *self.tx)
        .await
        .map_err(db_err)
    }

    async fn lock_first_contact(&mut self) -> StoreResult<()> {
        Ok(()) // BEGIN IMMEDIATE already serialises every writer
    }

    async fn update_member(&mut self, member: &Member) -> StoreResult<()> {
        let done =
            sqlx::query("UPDATE members SET name = $2, language = $3, admin = $4, public_name = $5, direct_reminders = $6 WHERE id = $1")
                .bind(member.id.0)
                .bind(&member.name)
                .bind(member.language.map(|l| l.as_str()))
                .bind(member.admin)
                .bind(member.public_name)
                .bind(member.direct_reminders)
                .execute(&mut *self.tx)
                .await
                .map_err(db_err)?;
        expect_one(done.rows_affected(), &format!("member {}", member.id))
    }

    async fn set_unreachable(
        &mut self,
        identity: &Identity,
        since: Option<DateTime<Utc>>,
    ) -> StoreResult<bool> {
        // Only a change counts: marking a marked identity keeps its first time.
        let sql = match since {
            Some(_) => {
                "UPDATE identities SET unreachable_since = $1 \
                 WHERE platform = $2 AND user_id = $3 AND unreachable_since IS NULL"
            }
            None => {
                "UPDATE identities SET unreachable_since = $1 \
                 WHERE platform = $2 AND user_id = $3 AND unreachable_since IS NOT NULL"
            }
        };
        let done = sqlx::query(sql)
            .bind(since)
            .bind(identity.platform.as_str())
            .bind(&identity.user_id)
            .execute(&mut *self.tx)
            .await
            .map_err(db_err)?;
        Ok(done.rows_affected() > 0)
    }

    async fn unreachable_since(
        &mut self,
        identity: &Identity,
    ) -> StoreResult<Option<DateTime<Utc>>> {
        let since: Option<Option<DateTime<Utc>>> = sqlx::query_scalar(
            "SELECT unreachable_since FROM identities WHERE platform = $1 AND user_id = $2",
        )
        .bind(identity.platform.as_str())
        .bind(&identity.user_id)
        .fetch_optional(&mut *self.tx)
        .await
        .map_err(db_err)?;
        Ok(since.flatten())
    }

    async fn reachable_identities(&mut self, member: MemberId) -> StoreResult<Vec<Identity>> {
        let rows: Vec<IdentityRow> = sqlx::query_as(
            "SELECT platform, user_id FROM identities \
             WHERE member = $1 AND unreachable_since IS NULL ORDER BY platform, user_id",
        )
        .bind(member.0)
        .fetch_all(&mut *self.tx)
        .await
        .map_err(db_err)?;
        rows.into_iter().map(Identity::try_from).collect()
    }

    async fn identities(&mut self, member: MemberId) -> StoreResult<Vec<Identity>> {
        let rows: Vec<IdentityRow> = sqlx::query_as(
            "SELECT platform, user_id FROM identities WHERE member = $1 ORDER BY platform, user_id",
        )
        .bind(member.0)
        .fetch_all(&mut *self.tx)
        .await
        .map_err(db_err)?;
        rows.into_iter().map(Identity::try_from).collect()
    }

    async fn membership(
        &mut self,
        member: MemberId,
        section: SectionId,
    ) -> StoreResult<Option<Membership>> {
        let row: Option<MembershipRow> =
            sqlx::query_as("SELECT * FROM memberships WHERE member = $1 AND section = $2")
                .bind(member.0)
                .bind(section.0)
                .fetch_optional(&mut *self.tx)
                .await
                .map_err(db_err)?;
        row.map(Membership::try_from).transpose()
    }

    async fn memberships_of(&mut self, member: MemberId) -> StoreResult<Vec<Membership>> {
        let rows: Vec<MembershipRow> =
            sqlx::query_as("SELECT * FROM memberships WHERE member = $1 ORDER BY section")
                .bind(member.0)
                .fetch_all(&mut *self.tx)
                .await
                .map_err(db_err)?;
        rows.into_iter().map(Membership::try_from).collect()
    }

    async fn memberships_in(&mut self, section: SectionId) -> StoreResult<Vec<Membership>> {
        let rows: Vec<MembershipRow> =
            sqlx::query_as("SELECT * FROM memberships WHERE section = $1 ORDER BY member")
                .bind(section.0)
                .fetch_all(&mut *self.tx)
                .await
                .map_err(db_err)?;
        rows.into_iter().map(Membership::try_from).collect()
    }

    async fn put_membership(&mut self, m: &Membership) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO memberships (member, section, role, verified, joined_at) VALUES ($1, $2, $3, $4, $5) \
             ON CONFLICT (member, section) DO UPDATE SET \
             role = excluded.role, verified = excluded.verified, joined_at = excluded.joined_at",
        )
        .bind(m.member.0)
        .bind(m.section.0)
        .bind(m.role.as_str())
        .bind(m.verified)
        .bind(m.joined_at)
        .execute(&mut *self.tx)
        .await
        .map_err(db_err)?;
        Ok(())
    }

    async fn delete_membership(
        &mut self,
        member: MemberId,
        section: SectionId,
    ) -> StoreResult<bool> {
        let done = sqlx::query("DELETE FROM memberships WHERE member = $1 AND section = $2")
            .bind(member.0)
            .bind(section.0)
            .execute(&mut *self.tx)
            .await
            .map_err(db_err)?;
        Ok(done.rows_affected() > 0)
    }

    async fn put_link_code(&mut self, code: &LinkCode) -> StoreResult<()> {
        sqlx::query("INSERT INTO link_codes (code, member, expires_at) VALUES ($1, $2, $3)")
            .bind(&code.code)
            .bind(code.member.0)
            .bind(code.expires_at)
            .execute(&mut *self.tx)
            .await
            .map_err(db_err)?;
        Ok(())
    }

    async fn take_link_code(&mut self, code: &str) -> StoreResult<Option<LinkCode>> {
        let row: Option<LinkCodeRow> =
            sqlx::query_as("DELETE FROM link_codes WHERE code = $1 RETURNING *")
                .bind(code)
                .fetch_optional(&mut *self.tx)
                .await
                .map_err(db_err)?;
        Ok(row.map(LinkCode::from))
    }

    async fn merge_members(&mut self, from: MemberId, into: MemberId) -> StoreResult<()> {
        if from == into {
            return Err(StoreError::Inconsistent(format!(
                "cannot merge member {from} into itself"
            )));
        }
        let (Some(theirs), Some(ours)) = (self.member(from).await?, self.member(into).await?)
        else {
            return Err(StoreError::Inconsistent(format!(
                "cannot merge member {from} into {into}: not both exist"
            )));
        };
        // The merged member keeps `into`'s profile, but loses neither root
        // admin nor a chosen language: the same person held both.
        self.update_member(&Member {
            admin: ours.admin || theirs.admin,
            language: ours.language.or(theirs.language),
            ..ours
        })
        .await?;
        self.reassign_references(from, into).await?;
        self.merge_memberships(from, into).await?;
        // Supports and RSVPs move unless `into` already has one for the same
        // initiative or event, in which case `into`'s stands.
        for sql in [
            "UPDATE supports SET member = $2 WHERE member = $1 \
             AND initiative NOT IN (SELECT initiative FROM supports WHERE member = $2)",
            "UPDATE rsvps SET member = $2 WHERE member = $1 \
             AND event NOT IN (SELECT event FROM rsvps WHERE member = $2)",
        ] {
            sqlx::query(sql)
                .bind(from.0)
                .bind(into.0)
                .execute(&mut *self.tx)
                .await
                .map_err(db_err)?;
        }
        for sql in [
            "DELETE FROM supports WHERE member = $1",
            "DELETE FROM rsvps WHERE member = $1",
            "DELETE FROM members WHERE id = $1",
        ] {
            sqlx::query(sql)
                .bind(from.0)
                .execute(&mut *self.tx)
                .await
                .map_err(db_err)?;
        }
        Ok(())
    }

    async fn forget_member(&mut self, id: MemberId) -> StoreResult<()> {
        let done = sqlx::query("UPDATE members SET name = NULL, admin = FALSE WHERE id = $1")
            .bind(id.0)
            .execute(&mut *self.tx)
            .await
            .map_err(db_err)?;
        expect_one(done.rows_affected(), &format!("member {id}"))?;
        for sql in [
            "DELETE FROM identities WHERE member = $1",
            "DELETE FROM memberships WHERE member = $1",
            "DELETE FROM link_codes WHERE member = $1",
        ] {
            sqlx::query(sql)
                .bind(id.0)
                .execute(&mut *self.tx)
                .await
                .map_err(db_err)?;
        }
        Ok(())
    }
}
