"""Step 3: comment drafts -> comments with reply parents, and the checks every tree passes.

`assemble` turns drafts into `Comment`s and picks each parent from the evidence the page
shows (nesting, numbering, quotations, `cues` such as "@name" and "in reply to"); `check`
validates and repairs any thread's tree (unique ids, no missing parent, no cycle) and walks
it with an explicit stack.
"""

from stance.thread.tree.check import MAX_REASONABLE_DEPTH, children_index, depths, repair, walk

__all__ = ["MAX_REASONABLE_DEPTH", "children_index", "depths", "repair", "walk"]
