#!/bin/sh
# CTest rounding.stepwise_counts: the operation counts k of the oracle's stepwise precision
# model (ModelCounts in oracle/src/stepwise_model.hpp) against the bounds that the Gappa
# scripts of stepwise/ prove for fixed expression orders.
# usage: check_stepwise_counts.sh HEADER STEPWISE_DIR
# Each script names its count and precision in comments:
#   # model: NAME          its goal's bound B must be within the model's bound for NAME:
#                          B <= gamma_k = k u/(1 - k u) (mass: B <= 2 gamma_k, the model's
#                          absolute bound on terms that sum to at most 2); with
#                          "# relative to: exact value" (a record against the internal value,
#                          where the model is relative to the record) B <= k u, which gives
#                          B/(1 - B) <= gamma_k relative to the record.
#   # model: exceeds NAME  a fixed order the model does NOT cover: B > gamma_k (README: the
#                          gap is stated, and this keeps the statement true).
#   # precision: binary64 | binary32    u = 2^-53 | 2^-24.
# B is the upper end of the goal's interval ("in [-B, B]" or "<= B"), a Gappa number
# (0x...p-E, NbE or N b-E). Compared exactly (Math::BigRat). Every count named by a script
# must exist, every covered count must be covered in both precisions, and the counts no
# script covers are listed (the model's part that is not proved here).
set -eu
exec perl -MMath::BigRat -e '
use strict; use warnings;
my ($header, $dir) = @ARGV;
sub slurp { my ($p) = @_; open(my $fh, "<", $p) or die "FAIL: cannot read $p\n"; local $/; my $s = <$fh>; close $fh; $s }
sub num { my ($t) = @_;
  if ($t =~ /^0x([0-9a-fA-F]+)(?:\.([0-9a-fA-F]*))?p(-?\d+)$/) {
    my ($i, $f, $e) = ($1, defined $2 ? $2 : "", $3);
    my $n = Math::BigRat->new(Math::BigInt->from_hex($i . $f));
    return $n * Math::BigRat->new(2) ** ($e - 4 * length($f)); }
  if ($t =~ /^(\d+)b(-?\d+)$/) { return Math::BigRat->new($1) * Math::BigRat->new(2) ** $2; }
  if ($t =~ /^(\d+)$/) { return Math::BigRat->new($1); }
  die "FAIL: cannot read the number $t\n"; }
my %count;
my $h = slurp($header);
$h =~ /struct ModelCounts \{(.*?)\};/s or die "FAIL: no ModelCounts in $header\n";
my $body = $1;
$count{$1} = $2 while $body =~ /static constexpr int (\w+) = (\d+);/g;
die "FAIL: no counts in ModelCounts\n" unless %count;
my ($status, $n, %covered) = (0, 0);
opendir(my $dh, $dir) or die "FAIL: no directory $dir\n";
for my $file (sort grep { /\.g$/ } readdir $dh) {
  my $s = slurp("$dir/$file");
  $n++;
  my ($model) = $s =~ /^# model: (.+?)\s*$/m;
  my ($prec) = $s =~ /^# precision: (binary64|binary32)\s*$/m;
  unless (defined $model && defined $prec) { print "FAIL: $file: no \"# model:\" or \"# precision:\" line\n"; $status = 1; next; }
  my $exceeds = $model =~ s/^exceeds\s+//;
  unless (exists $count{$model}) { print "FAIL: $file: ModelCounts has no count \"$model\"\n"; $status = 1; next; }
  my ($goal) = $s =~ /->\s*(.*?)\}/s;
  my $b;
  if (defined $goal && $goal =~ /in \[\s*-?\s*\S+?\s*,\s*(\S+?)\s*\]\s*$/) { $b = num($1); }
  elsif (defined $goal && $goal =~ /<=\s*(\S+?)\s*$/) { $b = num($1); }
  else { print "FAIL: $file: cannot find the bound of its goal\n"; $status = 1; next; }
  my $u = Math::BigRat->new(2) ** ($prec eq "binary64" ? -53 : -24);
  my $k = $count{$model};
  my $gamma = $k * $u / (1 - $k * $u);
  my $limit = $gamma;
  $limit = 2 * $gamma if $model eq "mass";
  $limit = $k * $u if $s =~ /^# relative to: exact value/m;
  my $ratio = ($b / $u)->numify;
  if ($exceeds) {
    if ($b > $gamma) { printf "ok   %-24s %s: proves %.6f u, beyond the model (%s = %d): a stated gap\n", $file, $prec, $ratio, $model, $k; }
    else { printf "FAIL: %s: marked \"exceeds %s\" but its bound %.6f u is within gamma_%d: move it to the model\n", $file, $model, $ratio, $k; $status = 1; }
    next;
  }
  if ($b <= $limit) { printf "ok   %-24s %s: proves %.6f u <= the model (%s = %d)\n", $file, $prec, $ratio, $model, $k; $covered{$model}{$prec} = 1; }
  else { printf "FAIL: %s: proves %.6f u, more than the model allows for %s = %d\n", $file, $ratio, $model, $k; $status = 1; }
}
if ($n == 0) { print "FAIL: no Gappa script in $dir\n"; $status = 1; }
for my $m (sort keys %covered) {
  for my $p ("binary64", "binary32") {
    next if $covered{$m}{$p};
    print "FAIL: count $m is proved for one precision but not $p\n"; $status = 1; }
}
my @open = grep { !$covered{$_} } sort keys %count;
print "not proved here (a model, oracle/README.md): @open\n" if @open;
print $status ? "FAIL\n" : "OK: the counts of $n scripts are within ModelCounts\n";
exit $status;
' "$1" "$2"
