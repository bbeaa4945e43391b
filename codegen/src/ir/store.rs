//! The type store: every named type once, referred to by a [`TypeId`].
//!
//! Lowering reserves an id when it starts a type (so a recursive type can refer to itself before
//! it is complete) and defines it when its shape is known; an inline type whose shape repeats an
//! earlier one is never defined, its users refer to the earlier id. Names are given last, by the
//! naming pass, and the store is then sorted by name: the order the emitter writes and every
//! order-dependent decision (recursion boxing) reads.
//!
//! Must not: decide names or shapes (lowering does), or know about emitting.

use std::collections::BTreeSet;

use super::TypeDef;

/// A type's identity: given by lowering when it starts the type, stable from then on. Type
/// expressions refer to named types by it ([`super::Ty::Named`]), never by name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TypeId(u32);

/// The slots of a store being built: one per reserved id, `None` until defined (and for ever when
/// the type turned out to repeat another: an id that is never defined).
#[derive(Debug, Default)]
pub(crate) struct Slots(Vec<Option<TypeDef>>);

impl Slots {
    /// A new id, not yet defined.
    pub(crate) fn reserve(&mut self) -> TypeId {
        let id = TypeId(u32::try_from(self.0.len()).expect("fewer than 2^32 types"));
        self.0.push(None);
        id
    }

    /// Defines the type of a reserved id.
    pub(crate) fn define(&mut self, def: TypeDef) {
        let slot = def.id.0 as usize;
        self.0[slot] = Some(def);
    }

    /// The type of `id`, if defined.
    pub(crate) fn get(&self, id: TypeId) -> Option<&TypeDef> {
        self.0.get(id.0 as usize)?.as_ref()
    }

    /// The type of `id`, if defined, to change.
    pub(crate) fn get_mut(&mut self, id: TypeId) -> Option<&mut TypeDef> {
        self.0.get_mut(id.0 as usize)?.as_mut()
    }

    /// The store, sorted by name (every type named by then).
    pub(crate) fn finish(self) -> Types {
        let mut at = vec![None; self.0.len()];
        let mut defs: Vec<TypeDef> = self.0.into_iter().flatten().collect();
        defs.sort_by(|a, b| a.name.cmp(&b.name));
        for (i, def) in defs.iter().enumerate() {
            at[def.id.0 as usize] = Some(i);
        }
        Types { defs, at }
    }
}

/// The named types of a lowered spec, sorted by name, found by id.
#[derive(Clone, Debug, Default)]
pub struct Types {
    defs: Vec<TypeDef>,
    /// Each id's position in `defs`.
    at: Vec<Option<usize>>,
}

impl Types {
    /// The type `id` refers to.
    ///
    /// # Panics
    /// For an id of another store, or one lowering never defined: both are bugs of the generator
    /// (every id in a type expression is defined before lowering ends).
    pub fn get(&self, id: TypeId) -> &TypeDef {
        let at = self.at.get(id.0 as usize).copied().flatten();
        &self.defs[at.unwrap_or_else(|| panic!("type id {id:?} is not in this store"))]
    }

    /// The name of the type `id` refers to.
    pub fn name(&self, id: TypeId) -> &str {
        &self.get(id).name
    }

    /// The type called `name`, if any.
    pub fn named(&self, name: &str) -> Option<&TypeDef> {
        self.defs.binary_search_by(|d| d.name.as_str().cmp(name)).ok().map(|i| &self.defs[i])
    }

    /// The types, by name.
    pub fn iter(&self) -> std::slice::Iter<'_, TypeDef> {
        self.defs.iter()
    }

    /// The types, by name, to change (never their names or ids).
    pub(crate) fn iter_mut(&mut self) -> std::slice::IterMut<'_, TypeDef> {
        self.defs.iter_mut()
    }

    /// The types, by name, as a slice to change (never their names or ids).
    pub(crate) fn as_mut_slice(&mut self) -> &mut [TypeDef] {
        &mut self.defs
    }

    /// The types, by name, as a slice (the emitter splits it between threads).
    pub fn as_slice(&self) -> &[TypeDef] {
        &self.defs
    }

    /// The position of `id` in the order by name.
    pub(crate) fn position(&self, id: TypeId) -> Option<usize> {
        self.at.get(id.0 as usize).copied().flatten()
    }

    /// How many types there are.
    pub fn len(&self) -> usize {
        self.defs.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.defs.is_empty()
    }

    /// The types among `roots` and every type they mention, transitively: the one reachability
    /// walk that sent/received lowering, the setters of request types and the per-resource
    /// features share.
    pub(crate) fn reachable(&self, mut todo: Vec<super::TypeId>) -> BTreeSet<TypeId> {
        let mut seen = BTreeSet::new();
        while let Some(id) = todo.pop() {
            if self.position(id).is_some() && seen.insert(id) {
                self.get(id).kind.ids(&mut todo);
            }
        }
        seen
    }
}

impl<'a> IntoIterator for &'a Types {
    type Item = &'a TypeDef;
    type IntoIter = std::slice::Iter<'a, TypeDef>;

    fn into_iter(self) -> Self::IntoIter {
        self.defs.iter()
    }
}
