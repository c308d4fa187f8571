/* A minimal test harness for the C++ wrapper tests: CHECK records a failure
 * with its location and carries on, so one run reports every broken
 * expectation; main() returns failures() != 0. */
#ifndef FERROKAFKA_TESTS_CPP_CHECK_H
#define FERROKAFKA_TESTS_CPP_CHECK_H

#include <dlfcn.h>

#include <iostream>
#include <string>

#include <librdkafka/rdkafka.h>

inline int &failure_count() {
  static int n = 0;
  return n;
}

inline int failures() { return failure_count(); }

#define CHECK(cond)                                                        \
  do {                                                                     \
    if (!(cond)) {                                                         \
      std::cerr << __FILE__ << ":" << __LINE__ << ": CHECK failed: " #cond \
                << std::endl;                                              \
      failure_count()++;                                                   \
    }                                                                      \
  } while (0)

#define CHECK_EQ(a, b)                                                      \
  do {                                                                      \
    if (!((a) == (b))) {                                                    \
      std::cerr << __FILE__ << ":" << __LINE__ << ": CHECK_EQ failed: " #a \
                << " == " #b << " (" << (a) << " vs " << (b) << ")"         \
                << std::endl;                                               \
      failure_count()++;                                                    \
    }                                                                       \
  } while (0)

/* Which shared object provides the C API, so the Rust driver can verify the
 * program really ran against the implementation it was built for. */
inline void print_c_library() {
  Dl_info info;
  if (dladdr(reinterpret_cast<void *>(&rd_kafka_new), &info) != 0 &&
      info.dli_fname != NULL)
    std::cout << "c-library: " << info.dli_fname << std::endl;
}

#endif
