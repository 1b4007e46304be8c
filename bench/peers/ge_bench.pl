#!/usr/bin/perl
# ge_bench.pl — times Graph::Easy in-process on one graph (Graph::Easy text syntax,
# written by ge_convert.py / gen_mermaid.py) and reports what its layout dropped.
#
#   perl bench/peers/ge_bench.pl [--budget-ms 3000] [--max-iter 200] [--min-iter 3]
#        [--out DRAWING.txt] [--ascii-out DRAWING.ascii.txt] [--timeout S] GRAPH.ge
#
# --timeout raises Graph::Easy's own layout time limit (5 s unless given); a layout
# that hits it dies with "layout did not finish in time", reported as the crash.
#
# --max-iter 0 renders once (first_ms: parse + layout + as_boxart) and times nothing.
# Prints one JSON line: iterations, median/p95 in ms of parse + layout + as_boxart
# (and of as_ascii), nodes/edges in the graph and placed by the layouter (from its
# object model: a node is placed when it has a position, an edge when it has cells and
# no routing left to do — the test Graph::Easy itself uses for its "could only
# place" warning), warnings, and "crash" (the error text) when it died.
use strict;
use warnings;
use Graph::Easy;
use Graph::Easy::Parser;
use Time::HiRes qw(time);
use JSON::PP;

my %opt = (budget_ms => 3000, max_iter => 200, min_iter => 3);
my @files;
while (@ARGV) {
	my $a = shift @ARGV;
	if    ($a eq '--budget-ms') { $opt{budget_ms} = shift @ARGV }
	elsif ($a eq '--max-iter')  { $opt{max_iter}  = shift @ARGV }
	elsif ($a eq '--min-iter')  { $opt{min_iter}  = shift @ARGV }
	elsif ($a eq '--out')       { $opt{out}       = shift @ARGV }
	elsif ($a eq '--ascii-out') { $opt{ascii_out} = shift @ARGV }
	elsif ($a eq '--timeout')   { $opt{timeout}   = shift @ARGV }
	else                        { push @files, $a }
}
die "usage: ge_bench.pl [options] GRAPH.ge\n" unless @files == 1;
my $file = $files[0];
open(my $fh, '<:encoding(UTF-8)', $file) or die "$file: $!\n";
my $text = do { local $/; <$fh> };
close $fh;

# Returns the laid-out graph (parse + layout), dying on a parse error or timeout.
sub build {
	my $parser = Graph::Easy::Parser->new();
	my $g = $parser->from_text($text);
	die 'parse error: ' . ($parser->error() || 'unknown') . "\n" unless $g;
	$g->catch_warnings(1);
	$g->timeout($opt{timeout}) if $opt{timeout};
	$g->layout();
	return $g;
}

# Returns (median, p95) of a list of numbers.
sub stats {
	my @s = sort { $a <=> $b } @_;
	return (undef, undef) unless @s;
	my $med = @s % 2 ? $s[$#s / 2] : ($s[@s / 2 - 1] + $s[@s / 2]) / 2;
	my $i = int(0.95 * (@s - 1) + 0.999999);
	return ($med, $s[$i]);
}

# Returns how many times fn ran and its median/p95 in ms within the budget.
sub timed {
	my ($fn, $budget_ms) = @_;
	my @t;
	my $start = time;
	while (@t < $opt{max_iter}) {
		my $t0 = time;
		$fn->();
		push @t, (time - $t0) * 1000;
		last if @t >= $opt{min_iter} && (time - $start) * 1000 >= $budget_ms;
	}
	my ($med, $p95) = stats(@t);
	return (scalar @t, $med, $p95);
}

my %r = (file => $file, renderer => 'graph-easy', version => $Graph::Easy::VERSION);
binmode STDOUT, ':encoding(UTF-8)';
my $t_first = time;
my $g = eval { build() };
if (!$g) {
	($r{crash} = $@ || 'died') =~ s/\s+\z//;
	print JSON::PP->new->canonical->encode(\%r), "\n";
	exit 0;
}

# What the layouter placed, from its object model.
my ($nodes, $placed_nodes, $edges, $placed_edges, $labels, $placed_labels) = (0) x 6;
for my $n ($g->nodes) { $nodes++; $placed_nodes++ if defined $n->{x} }
for my $e ($g->edges) {
	$edges++;
	my $ok = $e->{cells} && @{$e->{cells}} > 0 && !exists $e->{_todo};
	$placed_edges++ if $ok;
	my $l = $e->label;
	if (defined $l && $l ne '') { $labels++; $placed_labels++ if $ok }
}
@r{qw(nodes_in nodes_placed edges_in edges_placed labels_in labels_placed)} =
	($nodes, $placed_nodes, $edges, $placed_edges, $labels, $placed_labels);
$r{warnings} = [ $g->warnings ];

my $box = $g->as_boxart;
$r{first_ms} = (time - $t_first) * 1000;
my $ascii = $g->as_ascii;
for ([ $opt{out}, $box ], [ $opt{ascii_out}, $ascii ]) {
	my ($path, $s) = @$_;
	next unless $path;
	open(my $o, '>:encoding(UTF-8)', $path) or die "$path: $!\n";
	print $o $s;
	close $o;
}

my $ok = $opt{max_iter} <= 0 || eval {
	@r{qw(iters median_ms p95_ms)} =
		timed(sub { my $h = build(); my $s = $h->as_boxart; }, $opt{budget_ms});
	@r{qw(ascii_iters ascii_median_ms ascii_p95_ms)} =
		timed(sub { my $h = build(); my $s = $h->as_ascii; }, $opt{budget_ms} / 3);
	1;
};
($r{crash} = $@) =~ s/\s+\z// unless $ok;
print JSON::PP->new->canonical->encode(\%r), "\n";
