//! Who may do what. Roles inherit down the section tree: an organiser of a
//! region organises its departments and local sections too.

use super::{Ctx, Failure, fail};
use crate::domain::{Role, Section, SectionId};

/// The chain from a section up to the root, the section first.
pub(crate) fn ancestry(sections: &[Section], id: SectionId) -> Vec<SectionId> {
    let mut chain = Vec::new();
    let mut current = Some(id);
    while let Some(id) = current {
        if chain.contains(&id) {
            break; // a cycle would be a bug elsewhere; never loop forever
        }
        chain.push(id);
        current = sections.iter().find(|s| s.id == id).and_then(|s| s.parent);
    }
    chain
}

/// A section and everything under it.
pub(crate) fn subtree(sections: &[Section], root: SectionId) -> Vec<SectionId> {
    let mut out = vec![root];
    let mut i = 0;
    while i < out.len() {
        let parent = out[i];
        out.extend(
            sections
                .iter()
                .filter(|s| s.parent == Some(parent))
                .map(|s| s.id),
        );
        i += 1;
    }
    out
}

impl Ctx<'_> {
    /// The sender's role in a section, inherited from the sections above.
    pub async fn role_in(&mut self, section: SectionId) -> Result<Option<Role>, Failure> {
        if self.is_root() {
            return Ok(Some(Role::Admin));
        }
        let chain = ancestry(self.sections().await?, section);
        let memberships = self.tx.memberships_of(self.me().id).await?;
        Ok(memberships
            .iter()
            .filter(|m| chain.contains(&m.section))
            .map(|m| m.role)
            .max())
    }

    /// Verified here or above; organisers and admins count as verified.
    pub async fn verified_in(&mut self, section: SectionId) -> Result<bool, Failure> {
        if self.role_in(section).await? >= Some(Role::Organiser) {
            return Ok(true);
        }
        let chain = ancestry(self.sections().await?, section);
        let memberships = self.tx.memberships_of(self.me().id).await?;
        Ok(memberships
            .iter()
            .any(|m| chain.contains(&m.section) && m.verified))
    }

    pub async fn require(&mut self, section: &Section, role: Role) -> Result<(), Failure> {
        if self.role_in(section.id).await? >= Some(role) {
            return Ok(());
        }
        let role_name = self.t(&format!("role-{}", role.as_str()), crate::args!());
        fail!("error-forbidden", "role" => role_name, "section" => section.name.as_str())
    }
}
