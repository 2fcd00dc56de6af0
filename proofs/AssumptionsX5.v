(** * AssumptionsX5.v: [Print Assumptions] on the X5 theorems.

    They use the interval tactic, which computes with Coq's primitive
    integers and floats; check_assumptions.sh allows axioms.allow plus
    axioms_interval.allow for these theorems, and axioms.allow alone for
    those of Assumptions.v. *)

From Quench Require Import Counterexample.

Print Assumptions Counterexample.X5_every_sign_vector.
Print Assumptions Counterexample.X5_counterexample.
