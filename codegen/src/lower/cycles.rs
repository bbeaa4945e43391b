//! Cycles: aliases that refer to themselves become newtypes (or an error when nothing is in
//! between), and recursion through fields and variants gets one `Box` per cycle.

use std::collections::HashMap;

use crate::error::Error;
use crate::ir::*;

/// Aliases that refer to themselves: through a container they become newtypes; directly, an error.
pub(super) fn resolve_alias_cycles(types: &mut Types) -> Result<(), Error> {
    let types = types.as_mut_slice();
    let index: HashMap<TypeId, usize> = types.iter().enumerate().map(|(i, t)| (t.id, i)).collect();
    let mut graph = petgraph::graphmap::DiGraphMap::<usize, bool>::new();
    for (i, t) in types.iter().enumerate() {
        graph.add_node(i);
        if let TypeKind::Alias(ty) | TypeKind::Newtype(ty) = &t.kind {
            let direct = ty.direct_id();
            let mut ids = Vec::new();
            ty.ids(&mut ids);
            for id in ids {
                if let Some(&j) = index.get(&id)
                    && matches!(types[j].kind, TypeKind::Alias(_))
                {
                    let is_direct = direct == Some(id);
                    graph.add_edge(i, j, is_direct);
                }
            }
        }
    }
    for scc in petgraph::algo::tarjan_scc(&graph) {
        let cyclic = scc.len() > 1 || graph.contains_edge(scc[0], scc[0]);
        if !cyclic {
            continue;
        }
        let all_direct = scc.iter().all(|&i| graph.edges(i).filter(|(_, j, _)| scc.contains(j)).all(|(_, _, d)| *d));
        let mut members: Vec<usize> = scc.clone();
        members.sort();
        if all_direct {
            let names: Vec<String> = members.iter().map(|&i| types[i].name.clone()).collect();
            return Err(Error::invalid(
                &types[members[0]].pointer,
                format!("reference cycle with no data in between: {} → {}", names.join(" → "), names[0]),
            ));
        }
        for i in members {
            if let TypeKind::Alias(ty) = &types[i].kind {
                types[i].kind = TypeKind::Newtype(ty.clone());
            }
        }
    }
    Ok(())
}

/// Boxes the fields and variants that close a cycle of direct containment: the back edges of a
/// depth-first search over types in name order (fields in spec order). Removing back edges leaves
/// no cycle, so every type gets a finite size with one `Box` per cycle rather than one per edge.
pub(super) fn box_recursion(types: &mut Types) {
    let types = types.as_mut_slice();
    let index: HashMap<TypeId, usize> = types.iter().enumerate().map(|(i, t)| (t.id, i)).collect();
    // For each type, its direct (unboxed) references: (slot, target).
    let slots = |t: &TypeDef| -> Vec<(usize, usize)> {
        let targets: Vec<Option<TypeId>> = match &t.kind {
            TypeKind::Struct(s) => s.fields.iter().map(|f| f.ty.direct_id()).collect(),
            TypeKind::Union(u) => u.variants.iter().map(|v| v.ty.direct_id()).collect(),
            TypeKind::Alias(ty) | TypeKind::Newtype(ty) => vec![ty.direct_id()],
            _ => Vec::new(),
        };
        targets.into_iter().enumerate().filter_map(|(slot, id)| Some((slot, *index.get(&id?)?))).collect()
    };
    let edges: Vec<Vec<(usize, usize)>> = types.iter().map(slots).collect();
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        New,
        Open,
        Done,
    }
    let mut mark = vec![Mark::New; types.len()];
    let mut back_edges: Vec<(usize, usize)> = Vec::new();
    // Iterative DFS: schemas can nest deeper than the stack would like.
    for root in 0..types.len() {
        if mark[root] != Mark::New {
            continue;
        }
        let mut stack = vec![(root, 0usize)];
        mark[root] = Mark::Open;
        while let Some(&mut (node, ref mut next)) = stack.last_mut() {
            if let Some(&(slot, target)) = edges[node].get(*next) {
                *next += 1;
                match mark[target] {
                    Mark::Open => back_edges.push((node, slot)),
                    Mark::New => {
                        mark[target] = Mark::Open;
                        stack.push((target, 0));
                    }
                    Mark::Done => {}
                }
            } else {
                mark[node] = Mark::Done;
                stack.pop();
            }
        }
    }
    let boxed = |ty: &Ty| match ty {
        Ty::Option(inner) => Ty::Option(Box::new(Ty::Box(inner.clone()))),
        other => Ty::Box(Box::new(other.clone())),
    };
    for (node, slot) in back_edges {
        match &mut types[node].kind {
            TypeKind::Struct(s) => s.fields[slot].ty = boxed(&s.fields[slot].ty),
            TypeKind::Union(u) => u.variants[slot].ty = boxed(&u.variants[slot].ty),
            TypeKind::Alias(ty) | TypeKind::Newtype(ty) => *ty = boxed(ty),
            _ => {}
        }
    }
}
