"""How far the model's iterative solvers go: step counts, damping and tolerances.

Shared by the vectorised solvers (:mod:`alignment.effort`, :mod:`alignment.solver`,
:mod:`alignment.goals`) and their compiled per-plan forms, so both stop at the same place.
"""

# -- the allocator (alignment.effort) -------------------------------------------------------
# Plans still moving after this many power steps continue with plain damped fixed-point steps,
# which are slower but settle where the power step keeps overshooting.
POWER_STEPS = 60
# A total gain weight at or below this is no gain: an hour's gain weight is value per unit ×
# share × market size, in the 1e-2–1e10 range, so this only catches a plan that pays next to
# nothing (a cap some 300 orders of magnitude under the plain commission), where the weights
# are rounding dust and neither allocator could follow them alike.
NO_GAIN_WEIGHT = 1e-200
PLAIN_DAMPING = 0.85
# The power step's exponent 1 / (1 − γ(1 − 2s)) grows without bound as γ(1 − 2s) nears 1.
MAX_STEP_EXPONENT = 3.0
# Steps that shrink by a ratio below MAX_STEADY_RATIO, changing by less than
# STEADY_RATIO_CHANGE from one step to the next, jump to their limit after EXTRAPOLATE_AFTER
# steps (see alignment.effort.fading).
EXTRAPOLATE_AFTER = 10
MAX_STEADY_RATIO = 0.9
STEADY_RATIO_CHANGE = 0.02
# The allocations of MODEL.md §6 (the mix leadership's value asks for, the mix re-planned
# without lead generation) also stop once the way their steps shrink puts them within this
# fraction of H of their optimum (alignment.effort.near_optimum); steps under 1e-7 H still stop
# the slow ones, as every allocation.
COUNTERFACTUAL_DISTANCE = 1e-6
# ... but only while no product's step is this large beside its own hours (one coming in from
# next to no hours, or fading out, moves by a factor each step while its steps are tiny).
NEAR_RELATIVE_MOVE = 1e-4

# -- the role conflict's root (alignment.goals) ---------------------------------------------
# Root-finding steps, and the bracket width (a fraction of the hours on other products) below
# which it stops.
CONFLICT_STEPS = 30
NEWTON_STEPS = 40
ROOT_TOLERANCE = 1e-7
# The longest Newton step the tracked conflict takes on its own, as a fraction of the hours on
# other products: the mix moves a little each iteration, and so does the root; a longer step
# is checked by the root-find (where the share rises ever faster with hours, Newton's step
# from below lands past the root, and the conflict swung between 0 and 0.5).
LONGEST_TRACKED_STEP = 0.05

# -- the fixed point of mix, pay and hours (alignment.solver) -------------------------------
# Most plans settle within 60 iterations; a product fading to zero hours can take hundreds.
MAX_ITERATIONS = 1000
# Allocator steps that finish a plan's mix once its pay and hours have settled; a plan whose
# mix needs more carries on in the loop with the others.
SETTLE_STEPS = 30
# π and H take full steps at first, shorter ones later, so plans flipping between two mixes
# settle; the mix takes power steps, then plain damped ones (as the allocator does).
FULL_STEPS = 30
DAMPING = 0.5
# A plan is settled when no product's hours move by more than HOURS_TOLERANCE × H in a step,
# π by more than PAY_TOLERANCE of its largest pay per unit (plus one) and H by more than
# PAY_TOLERANCE × H̄; and when working its role conflict out afresh moves H by no more than
# CONFLICT_TOLERANCE × H̄.
HOURS_TOLERANCE = 1e-7
# Rounds of the root-find on H over whole allocations that finishes a plan (see
# alignment.solver); a plan still off after them carries on in the loop.
HOURS_ROUNDS = 12
# Within the joint steps the mix need only settle this far: pay and hours still move.
LOOSE_HOURS_TOLERANCE = 1e-5
PAY_TOLERANCE = 1e-5
CONFLICT_TOLERANCE = 2e-5
# Largest ratio of two successive hours steps extrapolated to their limit, and how little it
# must change from one step to the next to count as steady.
MAX_RATIO = 0.8
STEADY_HOURS_RATIO = 0.1
EXTRAPOLATE_MIX_TOLERANCE = 1e-5
# The shortest step on H for a plan whose hours swing back and forth.
MIN_HOURS_DAMPING = 1.0 / 16.0
# Dropping settled plans copies every working array, so wait until enough have settled.
DROP_SHARE = 0.25
