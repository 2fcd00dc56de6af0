(* Self-test fixture for check_no_admits.sh: this file must be rejected.
   (A comment mentioning Admitted or Axiom is fine; the code below is not.) *)
From Coq Require Import Reals.
Axiom cheat : forall x : R, x = 0.
Lemma bad : 1 = 0 :> R.
Proof. admit. Admitted.
