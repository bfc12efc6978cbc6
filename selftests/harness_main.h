/* SPDX-License-Identifier: GPL-2.0 */
/*
 * main() for the pidns_tree selftests, included last by each test file in
 * place of TEST_HARNESS_MAIN:
 *  - exit 4 (skip) with one KTAP line when /proc/pidns_tree is absent;
 *  - run only the tests named on the command line, as TEST or
 *    FIXTURE.TEST (the 6.1 harness has no selection of its own).
 */
#ifndef PIDNS_TREE_HARNESS_MAIN_H
#define PIDNS_TREE_HARNESS_MAIN_H

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static bool pst_named(const char *fixture, const char *test, const char *arg)
{
	size_t n = strlen(fixture);

	return !strcmp(arg, test) ||
	       (!strncmp(arg, fixture, n) && arg[n] == '.' &&
		!strcmp(arg + n + 1, test));
}

/* Unlink every test not named; return how many arguments named none. */
static int pst_select_tests(int argc, char **argv)
{
	struct __fixture_metadata *f;
	struct __test_metadata *t, *next, *tail;
	int i, unknown = 0;
	bool *used = calloc(argc, sizeof(*used));

	for (f = __fixture_list; f; f = f->next) {
		tail = NULL;
		for (t = f->tests, f->tests = NULL; t; t = next) {
			bool keep = false;

			next = t->next;
			for (i = 1; i < argc; i++) {
				if (pst_named(f->name, t->name, argv[i]))
					keep = used[i] = true;
			}
			if (!keep)
				continue;
			t->next = NULL;
			if (tail)
				tail->next = t;
			else
				f->tests = t;
			tail = t;
			f->tests->prev = tail;
		}
	}
	for (i = 1; i < argc; i++) {
		if (!used[i]) {
			fprintf(stderr, "%s: no test named %s\n", argv[0], argv[i]);
			unknown++;
		}
	}
	free(used);
	return unknown;
}

int main(int argc, char **argv)
{
	if (argc > 1 && pst_select_tests(argc, argv))
		return KSFT_FAIL;
	if (access(PIDNS_TREE_PATH, R_OK)) {
		ksft_print_header();
		ksft_exit_skip("%s is absent: load pidns_tree.ko first\n",
			       PIDNS_TREE_PATH);
	}
	return test_harness_run(argc, argv);
}

#endif /* PIDNS_TREE_HARNESS_MAIN_H */
