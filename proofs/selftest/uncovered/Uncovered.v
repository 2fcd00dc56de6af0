(* Self-test input of check_coverage.sh: a theorem that no Print Assumptions
   line lists, so the coverage check must fail on this folder. *)
Theorem listed : True.
Proof. exact I. Qed.
Theorem not_listed : True.
Proof. exact I. Qed.
