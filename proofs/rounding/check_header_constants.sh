#!/bin/sh
# CTest rounding.header_constants: every certified constant of
# core/include/quench/certified_bounds.hpp equals the bound of the theorem it cites.
# usage: check_header_constants.sh HEADER ROUNDING_DIR
# Each `inline constexpr double NAME = 0x...p-53;` (except unit_roundoff) must cite
# its theorem in its doc comment as `[proof: RoundingLink.NAME]`, a theorem of
# RoundingLink.v (the Gappa certificates and the glue linked in Coq, premises only the
# input ranges); the constant must be the last `c K J` = (K + J 2^-24) u of its
# statement, i.e. the conclusion's bound, or u when the statement ends in `<= u.` or
# `<= u * ...`.
# Values are compared exactly, as dyadic rationals. Fails on a missing citation, an
# unknown file or theorem, or a different value.
set -eu
exec perl -e '
use strict; use warnings;
my ($header, $dir) = @ARGV;
# a dyadic rational N 2^E, normalised (N odd or 0)
sub norm { my ($n, $e) = @_; return "0" if $n == 0; while ($n % 2 == 0) { $n /= 2; $e++; } "$n*2^$e" }
sub hexval { my ($lit) = @_;
  $lit =~ /^-?0x([0-9a-fA-F]+)(?:\.([0-9a-fA-F]*))?p(-?\d+)$/ or die "bad hex literal $lit\n";
  my ($i, $f, $e) = ($1, defined $2 ? $2 : "", $3);
  return norm(hex($i . $f), $e - 4 * length($f)); }
sub slurp { my ($p) = @_; open(my $fh, "<", $p) or return undef; local $/; my $s = <$fh>; close $fh; $s }
my $text = slurp($header) // die "FAIL: cannot read $header\n";
my @lines = split /\n/, $text;
my ($status, $count, @doc) = (0, 0);
for my $line (@lines) {
  if ($line =~ m{^\s*///}) { push @doc, $line; next; }
  if ($line =~ m{inline constexpr double (\w+)\s*=\s*(\S+?);(.*)$}) {
    my ($name, $lit, $rest) = ($1, $2, $3);
    my $comment = join(" ", @doc) . " " . $rest;
    @doc = ();
    next if $name eq "unit_roundoff";
    $count++;
    my $value = hexval($lit);
    unless ($comment =~ m{\[proof:\s*([\w.]+)\]}) { print "FAIL: $name cites no theorem ([proof: ...])\n"; $status = 1; next; }
    my $cite = $1;
    my @bounds;
    if ($cite =~ /^RoundingLink\.(\w+)$/) {
      my $thm = $1;
      my $v = slurp("$dir/RoundingLink.v") // die "FAIL: no RoundingLink.v\n";
      my ($stmt) = $v =~ /\n(?:Theorem|Lemma)\s+\Q$thm\E\b(.*?)\nProof\./s;
      unless (defined $stmt) { print "FAIL: $name cites $cite, no such theorem\n"; $status = 1; next; }
      my @c; push @c, [$1, $2] while $stmt =~ /\bc\s+(\d+)\s+(\d+)\b/g;
      push @bounds, norm($c[-1][0] * 16777216 + $c[-1][1], -77) if @c;
      push @bounds, norm(1, -53) if !@c && $stmt =~ /<=\s*u\s*(?:\*[^\n]*)?\.\s*$/s;
    } else { print "FAIL: $name cites $cite, not a theorem of RoundingLink.v (the only file whose bounds are linked to the certificates)\n"; $status = 1; next; }
    if (!@bounds) { print "FAIL: $name: no bound found in $cite\n"; $status = 1; next; }
    if (grep { $_ eq $value } @bounds) { print "ok   $name = $lit  [$cite]\n"; }
    else { print "FAIL: $name = $lit ($value) but $cite proves (@bounds)\n"; $status = 1; }
    next;
  }
  @doc = () unless $line =~ /^\s*$/;
}
if ($count == 0) { print "FAIL: no certified constant found in $header\n"; $status = 1; }
print $status ? "FAIL\n" : "OK: $count constants of the header equal their theorems\x27 bounds\n";
exit $status;
' "$1" "$2"
