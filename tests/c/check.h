/*
 * The C test programs' checks: CHECK records a failure with its location
 * and carries on, so one run reports every broken expectation; report()
 * ends main() with "ok" (exit 0) or the number of failures (exit 1).
 */
#ifndef FERROKAFKA_TESTS_C_CHECK_H
#define FERROKAFKA_TESTS_C_CHECK_H

#include <stdio.h>

static int failures;

#define CHECK(cond)                                                                              \
        do {                                                                                     \
                if (!(cond)) {                                                                   \
                        fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); \
                        failures++;                                                              \
                }                                                                                \
        } while (0)

static int report(void) {
        if (failures) {
                printf("%d check(s) failed\n", failures);
                return 1;
        }
        printf("ok\n");
        return 0;
}

#endif
