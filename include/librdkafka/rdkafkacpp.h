/*
 * ferrokafka's C++ API: librdkafka's RdKafka:: classes, implemented inline
 * over the C API in rdkafka.h. Header-only: a C++ program needs nothing but
 * this header and the C library (-lferrokafka, or -lrdkafka for the drop-in
 * name); there is no separate C++ library to link.
 *
 * Class names, method signatures, enum values and ownership rules are those
 * of librdkafka 2.0.2's rdkafkacpp.h. What differs is where the code lives:
 * every method is defined here, behind the abstract classes applications
 * see, in namespace RdKafka::detail.
 *
 * Callbacks. Callback objects (DeliveryReportCb, EventCb, RebalanceCb, ...)
 * are owned by the application and must outlive the handle they are
 * configured on. The C library calls a trampoline in this header, whose C
 * opaque is the C++ handle, which calls the object. Delivery reports,
 * rebalances, offset commits, consume callbacks, errors, stats and
 * throttle events run inside poll()/flush()/consume()/close() on the
 * application's thread. Log events, the partitioner, socket and open
 * callbacks may run on the library's internal threads.
 *
 * Exceptions thrown by callbacks never unwind through C frames: the
 * trampoline catches them, keeps the first one (later ones, until it is
 * rethrown, are dropped) and the C++ method that made the C call which ran
 * the callback (poll, flush, consume, close, commitSync, committed, ...)
 * rethrows it once the C call has returned. The C call itself completes
 * normally, so every other callback of that call still runs. An exception
 * from a callback on an internal thread is rethrown by the next such
 * method called on the handle. A throwing partitioner makes the message's
 * partition unknown (RD_KAFKA_PARTITION_UA); a throwing socket/open callback
 * fails that socket/open (-1); a throwing certificate check rejects the
 * certificate. Destructors never rethrow.
 *
 * Without a callback object: delivery reports and offset-commit results
 * are dropped, errors and logs are printed to stderr by the C library, and
 * rebalances assign/revoke partitions by themselves.
 */
#ifndef _RDKAFKACPP_H_
#define _RDKAFKACPP_H_

#include <librdkafka/rdkafka.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <list>
#include <mutex>
#include <string>
#include <vector>

#include <stdint.h>
#include <sys/types.h>

/*
 * Functions of librdkafka's C API that ferrokafka's rdkafka.h does not
 * export yet would be declared here, weak, so the wrapper compiles and
 * links regardless. tests/cpp_wrapper.rs keeps this list honest. Today it
 * is empty: every function the wrapper calls is exported.
 *
 * BEGIN pending-c-api
 */
/* END pending-c-api */

namespace RdKafka {

/* Library version, in the C library's MM.mm.rr.xx hex form and as text. */
inline int version();
inline std::string version_str();
inline std::string get_debug_contexts();
inline int wait_destroyed(int timeout_ms);
inline void *mem_malloc(size_t size);
inline void mem_free(void *ptr);

enum ErrorCode {
  ERR__BEGIN = -200,
  ERR__BAD_MSG = -199,
  ERR__BAD_COMPRESSION = -198,
  ERR__DESTROY = -197,
  ERR__FAIL = -196,
  ERR__TRANSPORT = -195,
  ERR__CRIT_SYS_RESOURCE = -194,
  ERR__RESOLVE = -193,
  ERR__MSG_TIMED_OUT = -192,
  ERR__PARTITION_EOF = -191,
  ERR__UNKNOWN_PARTITION = -190,
  ERR__FS = -189,
  ERR__UNKNOWN_TOPIC = -188,
  ERR__ALL_BROKERS_DOWN = -187,
  ERR__INVALID_ARG = -186,
  ERR__TIMED_OUT = -185,
  ERR__QUEUE_FULL = -184,
  ERR__ISR_INSUFF = -183,
  ERR__NODE_UPDATE = -182,
  ERR__SSL = -181,
  ERR__WAIT_COORD = -180,
  ERR__UNKNOWN_GROUP = -179,
  ERR__IN_PROGRESS = -178,
  ERR__PREV_IN_PROGRESS = -177,
  ERR__EXISTING_SUBSCRIPTION = -176,
  ERR__ASSIGN_PARTITIONS = -175,
  ERR__REVOKE_PARTITIONS = -174,
  ERR__CONFLICT = -173,
  ERR__STATE = -172,
  ERR__UNKNOWN_PROTOCOL = -171,
  ERR__NOT_IMPLEMENTED = -170,
  ERR__AUTHENTICATION = -169,
  ERR__NO_OFFSET = -168,
  ERR__OUTDATED = -167,
  ERR__TIMED_OUT_QUEUE = -166,
  ERR__UNSUPPORTED_FEATURE = -165,
  ERR__WAIT_CACHE = -164,
  ERR__INTR = -163,
  ERR__KEY_SERIALIZATION = -162,
  ERR__VALUE_SERIALIZATION = -161,
  ERR__KEY_DESERIALIZATION = -160,
  ERR__VALUE_DESERIALIZATION = -159,
  ERR__PARTIAL = -158,
  ERR__READ_ONLY = -157,
  ERR__NOENT = -156,
  ERR__UNDERFLOW = -155,
  ERR__INVALID_TYPE = -154,
  ERR__RETRY = -153,
  ERR__PURGE_QUEUE = -152,
  ERR__PURGE_INFLIGHT = -151,
  ERR__FATAL = -150,
  ERR__INCONSISTENT = -149,
  ERR__GAPLESS_GUARANTEE = -148,
  ERR__MAX_POLL_EXCEEDED = -147,
  ERR__UNKNOWN_BROKER = -146,
  ERR__NOT_CONFIGURED = -145,
  ERR__FENCED = -144,
  ERR__APPLICATION = -143,
  ERR__ASSIGNMENT_LOST = -142,
  ERR__NOOP = -141,
  ERR__AUTO_OFFSET_RESET = -140,
  ERR__END = -100,
  ERR_UNKNOWN = -1,
  ERR_NO_ERROR = 0,
  ERR_OFFSET_OUT_OF_RANGE = 1,
  ERR_INVALID_MSG = 2,
  ERR_UNKNOWN_TOPIC_OR_PART = 3,
  ERR_INVALID_MSG_SIZE = 4,
  ERR_LEADER_NOT_AVAILABLE = 5,
  ERR_NOT_LEADER_FOR_PARTITION = 6,
  ERR_REQUEST_TIMED_OUT = 7,
  ERR_BROKER_NOT_AVAILABLE = 8,
  ERR_REPLICA_NOT_AVAILABLE = 9,
  ERR_MSG_SIZE_TOO_LARGE = 10,
  ERR_STALE_CTRL_EPOCH = 11,
  ERR_OFFSET_METADATA_TOO_LARGE = 12,
  ERR_NETWORK_EXCEPTION = 13,
  ERR_COORDINATOR_LOAD_IN_PROGRESS = 14,
  ERR_COORDINATOR_NOT_AVAILABLE = 15,
  ERR_NOT_COORDINATOR = 16,
  ERR_TOPIC_EXCEPTION = 17,
  ERR_RECORD_LIST_TOO_LARGE = 18,
  ERR_NOT_ENOUGH_REPLICAS = 19,
  ERR_NOT_ENOUGH_REPLICAS_AFTER_APPEND = 20,
  ERR_INVALID_REQUIRED_ACKS = 21,
  ERR_ILLEGAL_GENERATION = 22,
  ERR_INCONSISTENT_GROUP_PROTOCOL = 23,
  ERR_INVALID_GROUP_ID = 24,
  ERR_UNKNOWN_MEMBER_ID = 25,
  ERR_INVALID_SESSION_TIMEOUT = 26,
  ERR_REBALANCE_IN_PROGRESS = 27,
  ERR_INVALID_COMMIT_OFFSET_SIZE = 28,
  ERR_TOPIC_AUTHORIZATION_FAILED = 29,
  ERR_GROUP_AUTHORIZATION_FAILED = 30,
  ERR_CLUSTER_AUTHORIZATION_FAILED = 31,
  ERR_INVALID_TIMESTAMP = 32,
  ERR_UNSUPPORTED_SASL_MECHANISM = 33,
  ERR_ILLEGAL_SASL_STATE = 34,
  ERR_UNSUPPORTED_VERSION = 35,
  ERR_TOPIC_ALREADY_EXISTS = 36,
  ERR_INVALID_PARTITIONS = 37,
  ERR_INVALID_REPLICATION_FACTOR = 38,
  ERR_INVALID_REPLICA_ASSIGNMENT = 39,
  ERR_INVALID_CONFIG = 40,
  ERR_NOT_CONTROLLER = 41,
  ERR_INVALID_REQUEST = 42,
  ERR_UNSUPPORTED_FOR_MESSAGE_FORMAT = 43,
  ERR_POLICY_VIOLATION = 44,
  ERR_OUT_OF_ORDER_SEQUENCE_NUMBER = 45,
  ERR_DUPLICATE_SEQUENCE_NUMBER = 46,
  ERR_INVALID_PRODUCER_EPOCH = 47,
  ERR_INVALID_TXN_STATE = 48,
  ERR_INVALID_PRODUCER_ID_MAPPING = 49,
  ERR_INVALID_TRANSACTION_TIMEOUT = 50,
  ERR_CONCURRENT_TRANSACTIONS = 51,
  ERR_TRANSACTION_COORDINATOR_FENCED = 52,
  ERR_TRANSACTIONAL_ID_AUTHORIZATION_FAILED = 53,
  ERR_SECURITY_DISABLED = 54,
  ERR_OPERATION_NOT_ATTEMPTED = 55,
  ERR_KAFKA_STORAGE_ERROR = 56,
  ERR_LOG_DIR_NOT_FOUND = 57,
  ERR_SASL_AUTHENTICATION_FAILED = 58,
  ERR_UNKNOWN_PRODUCER_ID = 59,
  ERR_REASSIGNMENT_IN_PROGRESS = 60,
  ERR_DELEGATION_TOKEN_AUTH_DISABLED = 61,
  ERR_DELEGATION_TOKEN_NOT_FOUND = 62,
  ERR_DELEGATION_TOKEN_OWNER_MISMATCH = 63,
  ERR_DELEGATION_TOKEN_REQUEST_NOT_ALLOWED = 64,
  ERR_DELEGATION_TOKEN_AUTHORIZATION_FAILED = 65,
  ERR_DELEGATION_TOKEN_EXPIRED = 66,
  ERR_INVALID_PRINCIPAL_TYPE = 67,
  ERR_NON_EMPTY_GROUP = 68,
  ERR_GROUP_ID_NOT_FOUND = 69,
  ERR_FETCH_SESSION_ID_NOT_FOUND = 70,
  ERR_INVALID_FETCH_SESSION_EPOCH = 71,
  ERR_LISTENER_NOT_FOUND = 72,
  ERR_TOPIC_DELETION_DISABLED = 73,
  ERR_FENCED_LEADER_EPOCH = 74,
  ERR_UNKNOWN_LEADER_EPOCH = 75,
  ERR_UNSUPPORTED_COMPRESSION_TYPE = 76,
  ERR_STALE_BROKER_EPOCH = 77,
  ERR_OFFSET_NOT_AVAILABLE = 78,
  ERR_MEMBER_ID_REQUIRED = 79,
  ERR_PREFERRED_LEADER_NOT_AVAILABLE = 80,
  ERR_GROUP_MAX_SIZE_REACHED = 81,
  ERR_FENCED_INSTANCE_ID = 82,
  ERR_ELIGIBLE_LEADERS_NOT_AVAILABLE = 83,
  ERR_ELECTION_NOT_NEEDED = 84,
  ERR_NO_REASSIGNMENT_IN_PROGRESS = 85,
  ERR_GROUP_SUBSCRIBED_TO_TOPIC = 86,
  ERR_INVALID_RECORD = 87,
  ERR_UNSTABLE_OFFSET_COMMIT = 88,
  ERR_THROTTLING_QUOTA_EXCEEDED = 89,
  ERR_PRODUCER_FENCED = 90,
  ERR_RESOURCE_NOT_FOUND = 91,
  ERR_DUPLICATE_RESOURCE = 92,
  ERR_UNACCEPTABLE_CREDENTIAL = 93,
  ERR_INCONSISTENT_VOTER_SET = 94,
  ERR_INVALID_UPDATE_VERSION = 95,
  ERR_FEATURE_UPDATE_FAILED = 96,
  ERR_PRINCIPAL_DESERIALIZATION_FAILURE = 97
,
  /* Older names kept by librdkafka for source compatibility. */
  ERR_GROUP_LOAD_IN_PROGRESS = ERR_COORDINATOR_LOAD_IN_PROGRESS,
  ERR_GROUP_COORDINATOR_NOT_AVAILABLE = ERR_COORDINATOR_NOT_AVAILABLE,
  ERR_NOT_COORDINATOR_FOR_GROUP = ERR_NOT_COORDINATOR
};

inline std::string err2str(RdKafka::ErrorCode err);

enum CertificateType { CERT_PUBLIC_KEY, CERT_PRIVATE_KEY, CERT_CA, CERT__CNT };

enum CertificateEncoding {
  CERT_ENC_PKCS12,
  CERT_ENC_DER,
  CERT_ENC_PEM,
  CERT_ENC__CNT
};

class Handle;
class Producer;
class Message;
class Headers;
class Queue;
class Event;
class Topic;
class TopicPartition;
class Metadata;
class KafkaConsumer;

/* An error with a code, its name and a description; delete when done. */
class Error {
 public:
  static Error *create(ErrorCode code, const std::string *errstr);
  virtual ~Error() {}
  virtual ErrorCode code() const = 0;
  virtual std::string name() const = 0;
  virtual std::string str() const = 0;
  virtual bool is_fatal() const = 0;
  virtual bool is_retriable() const = 0;
  virtual bool txn_requires_abort() const = 0;
};

class DeliveryReportCb {
 public:
  virtual void dr_cb(Message &message) = 0;
  virtual ~DeliveryReportCb() {}
};

class OAuthBearerTokenRefreshCb {
 public:
  virtual void oauthbearer_token_refresh_cb(
      RdKafka::Handle *handle, const std::string &oauthbearer_config) = 0;
  virtual ~OAuthBearerTokenRefreshCb() {}
};

class PartitionerCb {
 public:
  virtual int32_t partitioner_cb(const Topic *topic, const std::string *key,
                                 int32_t partition_cnt, void *msg_opaque) = 0;
  virtual ~PartitionerCb() {}
};

class PartitionerKeyPointerCb {
 public:
  virtual int32_t partitioner_cb(const Topic *topic, const void *key,
                                 size_t key_len, int32_t partition_cnt,
                                 void *msg_opaque) = 0;
  virtual ~PartitionerKeyPointerCb() {}
};

class EventCb {
 public:
  virtual void event_cb(Event &event) = 0;
  virtual ~EventCb() {}
};

class Event {
 public:
  enum Type { EVENT_ERROR, EVENT_STATS, EVENT_LOG, EVENT_THROTTLE };
  enum Severity {
    EVENT_SEVERITY_EMERG = 0,
    EVENT_SEVERITY_ALERT = 1,
    EVENT_SEVERITY_CRITICAL = 2,
    EVENT_SEVERITY_ERROR = 3,
    EVENT_SEVERITY_WARNING = 4,
    EVENT_SEVERITY_NOTICE = 5,
    EVENT_SEVERITY_INFO = 6,
    EVENT_SEVERITY_DEBUG = 7
  };
  virtual ~Event() {}
  virtual Type type() const = 0;
  virtual ErrorCode err() const = 0;
  virtual Severity severity() const = 0;
  virtual std::string fac() const = 0;
  virtual std::string str() const = 0;
  virtual int throttle_time() const = 0;
  virtual std::string broker_name() const = 0;
  virtual int broker_id() const = 0;
  virtual bool fatal() const = 0;
};

class ConsumeCb {
 public:
  virtual void consume_cb(Message &message, void *opaque) = 0;
  virtual ~ConsumeCb() {}
};

class RebalanceCb {
 public:
  virtual void rebalance_cb(RdKafka::KafkaConsumer *consumer,
                            RdKafka::ErrorCode err,
                            std::vector<TopicPartition *> &partitions) = 0;
  virtual ~RebalanceCb() {}
};

class OffsetCommitCb {
 public:
  virtual void offset_commit_cb(RdKafka::ErrorCode err,
                                std::vector<TopicPartition *> &offsets) = 0;
  virtual ~OffsetCommitCb() {}
};

class SslCertificateVerifyCb {
 public:
  virtual bool ssl_cert_verify_cb(const std::string &broker_name,
                                  int32_t broker_id, int *x509_error,
                                  int depth, const char *buf, size_t size,
                                  std::string &errstr) = 0;
  virtual ~SslCertificateVerifyCb() {}
};

class SocketCb {
 public:
  virtual int socket_cb(int domain, int type, int protocol) = 0;
  virtual ~SocketCb() {}
};

class OpenCb {
 public:
  virtual int open_cb(const std::string &path, int flags, int mode) = 0;
  virtual ~OpenCb() {}
};

class Conf {
 public:
  enum ConfType { CONF_GLOBAL, CONF_TOPIC };
  enum ConfResult { CONF_UNKNOWN = -2, CONF_INVALID = -1, CONF_OK = 0 };

  static Conf *create(ConfType type);
  virtual ~Conf() {}

  virtual Conf::ConfResult set(const std::string &name,
                               const std::string &value,
                               std::string &errstr) = 0;
  virtual Conf::ConfResult set(const std::string &name, DeliveryReportCb *dr_cb,
                               std::string &errstr) = 0;
  virtual Conf::ConfResult set(
      const std::string &name,
      OAuthBearerTokenRefreshCb *oauthbearer_token_refresh_cb,
      std::string &errstr) = 0;
  virtual Conf::ConfResult set(const std::string &name, EventCb *event_cb,
                               std::string &errstr) = 0;
  virtual Conf::ConfResult set(const std::string &name, const Conf *topic_conf,
                               std::string &errstr) = 0;
  virtual Conf::ConfResult set(const std::string &name,
                               PartitionerCb *partitioner_cb,
                               std::string &errstr) = 0;
  virtual Conf::ConfResult set(const std::string &name,
                               PartitionerKeyPointerCb *partitioner_kp_cb,
                               std::string &errstr) = 0;
  virtual Conf::ConfResult set(const std::string &name, SocketCb *socket_cb,
                               std::string &errstr) = 0;
  virtual Conf::ConfResult set(const std::string &name, OpenCb *open_cb,
                               std::string &errstr) = 0;
  virtual Conf::ConfResult set(const std::string &name,
                               RebalanceCb *rebalance_cb,
                               std::string &errstr) = 0;
  virtual Conf::ConfResult set(const std::string &name,
                               OffsetCommitCb *offset_commit_cb,
                               std::string &errstr) = 0;
  virtual Conf::ConfResult set(const std::string &name,
                               SslCertificateVerifyCb *ssl_cert_verify_cb,
                               std::string &errstr) = 0;
  virtual Conf::ConfResult set_ssl_cert(RdKafka::CertificateType cert_type,
                                        RdKafka::CertificateEncoding cert_enc,
                                        const void *buffer, size_t size,
                                        std::string &errstr) = 0;
  virtual Conf::ConfResult get(const std::string &name,
                               std::string &value) const = 0;
  virtual Conf::ConfResult get(DeliveryReportCb *&dr_cb) const = 0;
  virtual Conf::ConfResult get(
      OAuthBearerTokenRefreshCb *&oauthbearer_token_refresh_cb) const = 0;
  virtual Conf::ConfResult get(EventCb *&event_cb) const = 0;
  virtual Conf::ConfResult get(PartitionerCb *&partitioner_cb) const = 0;
  virtual Conf::ConfResult get(
      PartitionerKeyPointerCb *&partitioner_kp_cb) const = 0;
  virtual Conf::ConfResult get(SocketCb *&socket_cb) const = 0;
  virtual Conf::ConfResult get(OpenCb *&open_cb) const = 0;
  virtual Conf::ConfResult get(RebalanceCb *&rebalance_cb) const = 0;
  virtual Conf::ConfResult get(OffsetCommitCb *&offset_commit_cb) const = 0;
  virtual Conf::ConfResult get(
      SslCertificateVerifyCb *&ssl_cert_verify_cb) const = 0;
  virtual std::list<std::string> *dump() = 0;
  virtual Conf::ConfResult set(const std::string &name, ConsumeCb *consume_cb,
                               std::string &errstr) = 0;
  virtual struct rd_kafka_conf_s *c_ptr_global() = 0;
  virtual struct rd_kafka_topic_conf_s *c_ptr_topic() = 0;
  virtual Conf::ConfResult set_engine_callback_data(void *value,
                                                    std::string &errstr) = 0;
  virtual Conf::ConfResult enable_sasl_queue(bool enable,
                                             std::string &errstr) = 0;
};

class Handle {
 public:
  virtual ~Handle() {}
  virtual std::string name() const = 0;
  virtual std::string memberid() const = 0;
  virtual int poll(int timeout_ms) = 0;
  virtual int outq_len() = 0;
  virtual ErrorCode metadata(bool all_topics, const Topic *only_rkt,
                             Metadata **metadatap, int timeout_ms) = 0;
  virtual ErrorCode pause(std::vector<TopicPartition *> &partitions) = 0;
  virtual ErrorCode resume(std::vector<TopicPartition *> &partitions) = 0;
  virtual ErrorCode query_watermark_offsets(const std::string &topic,
                                            int32_t partition, int64_t *low,
                                            int64_t *high, int timeout_ms) = 0;
  virtual ErrorCode get_watermark_offsets(const std::string &topic,
                                          int32_t partition, int64_t *low,
                                          int64_t *high) = 0;
  virtual ErrorCode offsetsForTimes(std::vector<TopicPartition *> &offsets,
                                    int timeout_ms) = 0;
  virtual Queue *get_partition_queue(const TopicPartition *partition) = 0;
  virtual ErrorCode set_log_queue(Queue *queue) = 0;
  virtual void yield() = 0;
  virtual std::string clusterid(int timeout_ms) = 0;
  virtual struct rd_kafka_s *c_ptr() = 0;
  virtual int32_t controllerid(int timeout_ms) = 0;
  virtual ErrorCode fatal_error(std::string &errstr) const = 0;
  virtual ErrorCode oauthbearer_set_token(
      const std::string &token_value, int64_t md_lifetime_ms,
      const std::string &md_principal_name,
      const std::list<std::string> &extensions, std::string &errstr) = 0;
  virtual ErrorCode oauthbearer_set_token_failure(
      const std::string &errstr) = 0;
  virtual Error *sasl_background_callbacks_enable() = 0;
  virtual Queue *get_sasl_queue() = 0;
  virtual Queue *get_background_queue() = 0;
  virtual void *mem_malloc(size_t size) = 0;
  virtual void mem_free(void *ptr) = 0;
  virtual Error *sasl_set_credentials(const std::string &username,
                                      const std::string &password) = 0;
};

class TopicPartition {
 public:
  static TopicPartition *create(const std::string &topic, int partition);
  static TopicPartition *create(const std::string &topic, int partition,
                                int64_t offset);
  virtual ~TopicPartition() = 0;
  static void destroy(std::vector<TopicPartition *> &partitions);
  virtual const std::string &topic() const = 0;
  virtual int partition() const = 0;
  virtual int64_t offset() const = 0;
  virtual void set_offset(int64_t offset) = 0;
  virtual ErrorCode err() const = 0;
};

namespace detail {
/* Static data members defined in a header must belong to a template to
 * avoid one definition per translation unit. */
template <typename Unused>
struct TopicConstants {
  static const int32_t PARTITION_UA;
  static const int64_t OFFSET_BEGINNING;
  static const int64_t OFFSET_END;
  static const int64_t OFFSET_STORED;
  static const int64_t OFFSET_INVALID;
};
template <typename U>
const int32_t TopicConstants<U>::PARTITION_UA = -1;
template <typename U>
const int64_t TopicConstants<U>::OFFSET_BEGINNING = -2;
template <typename U>
const int64_t TopicConstants<U>::OFFSET_END = -1;
template <typename U>
const int64_t TopicConstants<U>::OFFSET_STORED = -1000;
template <typename U>
const int64_t TopicConstants<U>::OFFSET_INVALID = -1001;
}  // namespace detail

class Topic : public detail::TopicConstants<void> {
 public:
  static Topic *create(Handle *base, const std::string &topic_str,
                       const Conf *conf, std::string &errstr);
  virtual ~Topic() = 0;
  virtual std::string name() const = 0;
  virtual bool partition_available(int32_t partition) const = 0;
  virtual ErrorCode offset_store(int32_t partition, int64_t offset) = 0;
  virtual struct rd_kafka_topic_s *c_ptr() = 0;
};

class MessageTimestamp {
 public:
  enum MessageTimestampType {
    MSG_TIMESTAMP_NOT_AVAILABLE,
    MSG_TIMESTAMP_CREATE_TIME,
    MSG_TIMESTAMP_LOG_APPEND_TIME
  };
  MessageTimestampType type;
  int64_t timestamp;
};

class Headers {
 public:
  virtual ~Headers() = 0;

  /* One header; the value is copied and NUL-terminated so value_string()
   * is usable for text values. */
  class Header {
   public:
    Header(const std::string &key, const void *value, size_t value_size)
        : key_(key),
          err_(ERR_NO_ERROR),
          value_(copy_value(value, value_size)),
          value_size_(value_size) {}
    Header(const std::string &key, const void *value, size_t value_size,
           const RdKafka::ErrorCode err)
        : key_(key),
          err_(err),
          value_(err == ERR_NO_ERROR ? copy_value(value, value_size) : NULL),
          value_size_(value_size) {}
    Header(const Header &other)
        : key_(other.key_),
          err_(other.err_),
          value_(copy_value(other.value_, other.value_size_)),
          value_size_(other.value_size_) {}
    Header &operator=(const Header &other) {
      if (&other != this) {
        char *copy = copy_value(other.value_, other.value_size_);
        if (value_ != NULL)
          mem_free(value_);
        key_ = other.key_;
        err_ = other.err_;
        value_ = copy;
        value_size_ = other.value_size_;
      }
      return *this;
    }
    ~Header() {
      if (value_ != NULL)
        mem_free(value_);
    }
    std::string key() const { return key_; }
    const void *value() const { return value_; }
    const char *value_string() const { return value_; }
    size_t value_size() const { return value_size_; }
    RdKafka::ErrorCode err() const { return err_; }

   private:
    static char *copy_value(const void *value, size_t value_size) {
      if (value == NULL)
        return NULL;
      char *dest = static_cast<char *>(mem_malloc(value_size + 1));
      if (dest == NULL)
        throw std::bad_alloc();
      if (value_size > 0)
        std::memcpy(dest, value, value_size);
      dest[value_size] = '\0';
      return dest;
    }
    std::string key_;
    RdKafka::ErrorCode err_;
    char *value_;
    size_t value_size_;
    /* Headers are values: keep them out of the heap as librdkafka does. */
    void *operator new(size_t);
  };

  static Headers *create();
  static Headers *create(const std::vector<Header> &headers);
  virtual ErrorCode add(const std::string &key, const void *value,
                        size_t value_size) = 0;
  virtual ErrorCode add(const std::string &key, const std::string &value) = 0;
  virtual ErrorCode add(const Header &header) = 0;
  virtual ErrorCode remove(const std::string &key) = 0;
  virtual std::vector<Header> get(const std::string &key) const = 0;
  virtual Header get_last(const std::string &key) const = 0;
  virtual std::vector<Header> get_all() const = 0;
  virtual size_t size() const = 0;
};

class Message {
 public:
  enum Status {
    MSG_STATUS_NOT_PERSISTED = 0,
    MSG_STATUS_POSSIBLY_PERSISTED = 1,
    MSG_STATUS_PERSISTED = 2
  };
  virtual std::string errstr() const = 0;
  virtual ErrorCode err() const = 0;
  virtual Topic *topic() const = 0;
  virtual std::string topic_name() const = 0;
  virtual int32_t partition() const = 0;
  virtual void *payload() const = 0;
  virtual size_t len() const = 0;
  virtual const std::string *key() const = 0;
  virtual const void *key_pointer() const = 0;
  virtual size_t key_len() const = 0;
  virtual int64_t offset() const = 0;
  virtual MessageTimestamp timestamp() const = 0;
  virtual void *msg_opaque() const = 0;
  virtual ~Message() = 0;
  virtual int64_t latency() const = 0;
  virtual struct rd_kafka_message_s *c_ptr() = 0;
  virtual Status status() const = 0;
  virtual RdKafka::Headers *headers() = 0;
  virtual RdKafka::Headers *headers(RdKafka::ErrorCode *err) = 0;
  virtual int32_t broker_id() const = 0;
};

class Queue {
 public:
  static Queue *create(Handle *handle);
  virtual ErrorCode forward(Queue *dst) = 0;
  virtual Message *consume(int timeout_ms) = 0;
  virtual int poll(int timeout_ms) = 0;
  virtual ~Queue() = 0;
  virtual void io_event_enable(int fd, const void *payload, size_t size) = 0;
};

class ConsumerGroupMetadata {
 public:
  virtual ~ConsumerGroupMetadata() = 0;
};

class KafkaConsumer : public virtual Handle {
 public:
  static KafkaConsumer *create(const Conf *conf, std::string &errstr);
  virtual ~KafkaConsumer() = 0;
  virtual ErrorCode assignment(
      std::vector<RdKafka::TopicPartition *> &partitions) = 0;
  virtual ErrorCode subscription(std::vector<std::string> &topics) = 0;
  virtual ErrorCode subscribe(const std::vector<std::string> &topics) = 0;
  virtual ErrorCode unsubscribe() = 0;
  virtual ErrorCode assign(const std::vector<TopicPartition *> &partitions) = 0;
  virtual ErrorCode unassign() = 0;
  virtual Message *consume(int timeout_ms) = 0;
  virtual ErrorCode commitSync() = 0;
  virtual ErrorCode commitAsync() = 0;
  virtual ErrorCode commitSync(Message *message) = 0;
  virtual ErrorCode commitAsync(Message *message) = 0;
  virtual ErrorCode commitSync(std::vector<TopicPartition *> &offsets) = 0;
  virtual ErrorCode commitAsync(
      const std::vector<TopicPartition *> &offsets) = 0;
  virtual ErrorCode commitSync(OffsetCommitCb *offset_commit_cb) = 0;
  virtual ErrorCode commitSync(std::vector<TopicPartition *> &offsets,
                               OffsetCommitCb *offset_commit_cb) = 0;
  virtual ErrorCode committed(std::vector<TopicPartition *> &partitions,
                              int timeout_ms) = 0;
  virtual ErrorCode position(std::vector<TopicPartition *> &partitions) = 0;
  virtual ErrorCode close() = 0;
  virtual ErrorCode seek(const TopicPartition &partition, int timeout_ms) = 0;
  virtual ErrorCode offsets_store(std::vector<TopicPartition *> &offsets) = 0;
  virtual ConsumerGroupMetadata *groupMetadata() = 0;
  virtual bool assignment_lost() = 0;
  virtual std::string rebalance_protocol() = 0;
  virtual Error *incremental_assign(
      const std::vector<TopicPartition *> &partitions) = 0;
  virtual Error *incremental_unassign(
      const std::vector<TopicPartition *> &partitions) = 0;
  virtual Error *close(Queue *queue) = 0;
  virtual bool closed() = 0;
};

/* The legacy (simple) consumer: partitions started by hand, outside any
 * group (rd_kafka_consume_start and friends). */
class Consumer : public virtual Handle {
 public:
  static Consumer *create(const Conf *conf, std::string &errstr);
  virtual ~Consumer() = 0;
  virtual ErrorCode start(Topic *topic, int32_t partition, int64_t offset) = 0;
  virtual ErrorCode start(Topic *topic, int32_t partition, int64_t offset,
                          Queue *queue) = 0;
  virtual ErrorCode stop(Topic *topic, int32_t partition) = 0;
  virtual ErrorCode seek(Topic *topic, int32_t partition, int64_t offset,
                         int timeout_ms) = 0;
  virtual Message *consume(Topic *topic, int32_t partition,
                           int timeout_ms) = 0;
  virtual Message *consume(Queue *queue, int timeout_ms) = 0;
  virtual int consume_callback(Topic *topic, int32_t partition,
                               int timeout_ms, ConsumeCb *consume_cb,
                               void *opaque) = 0;
  virtual int consume_callback(Queue *queue, int timeout_ms,
                               RdKafka::ConsumeCb *consume_cb,
                               void *opaque) = 0;
  /* The start offset of the `offset` last messages (RD_KAFKA_OFFSET_TAIL). */
  static int64_t OffsetTail(int64_t offset);
};

class Producer : public virtual Handle {
 public:
  static Producer *create(const Conf *conf, std::string &errstr);
  virtual ~Producer() = 0;

  enum {
    RK_MSG_FREE = 0x1,
    RK_MSG_COPY = 0x2,
    RK_MSG_BLOCK = 0x4
#ifndef MSG_COPY /* sys/msg.h defines a macro of that name */
    ,
    MSG_FREE = RK_MSG_FREE,
    MSG_COPY = RK_MSG_COPY
#endif
  };

  virtual ErrorCode produce(Topic *topic, int32_t partition, int msgflags,
                            void *payload, size_t len, const std::string *key,
                            void *msg_opaque) = 0;
  virtual ErrorCode produce(Topic *topic, int32_t partition, int msgflags,
                            void *payload, size_t len, const void *key,
                            size_t key_len, void *msg_opaque) = 0;
  virtual ErrorCode produce(const std::string topic_name, int32_t partition,
                            int msgflags, void *payload, size_t len,
                            const void *key, size_t key_len, int64_t timestamp,
                            void *msg_opaque) = 0;
  virtual ErrorCode produce(const std::string topic_name, int32_t partition,
                            int msgflags, void *payload, size_t len,
                            const void *key, size_t key_len, int64_t timestamp,
                            RdKafka::Headers *headers, void *msg_opaque) = 0;
  virtual ErrorCode produce(Topic *topic, int32_t partition,
                            const std::vector<char> *payload,
                            const std::vector<char> *key,
                            void *msg_opaque) = 0;
  virtual ErrorCode flush(int timeout_ms) = 0;
  virtual ErrorCode purge(int purge_flags) = 0;

  enum { PURGE_QUEUE = 0x1, PURGE_INFLIGHT = 0x2, PURGE_NON_BLOCKING = 0x4 };

  virtual Error *init_transactions(int timeout_ms) = 0;
  virtual Error *begin_transaction() = 0;
  virtual Error *send_offsets_to_transaction(
      const std::vector<TopicPartition *> &offsets,
      const ConsumerGroupMetadata *group_metadata, int timeout_ms) = 0;
  virtual Error *commit_transaction(int timeout_ms) = 0;
  virtual Error *abort_transaction(int timeout_ms) = 0;
};

class BrokerMetadata {
 public:
  virtual int32_t id() const = 0;
  virtual std::string host() const = 0;
  virtual int port() const = 0;
  virtual ~BrokerMetadata() = 0;
};

class PartitionMetadata {
 public:
  typedef std::vector<int32_t> ReplicasVector;
  typedef std::vector<int32_t> ISRSVector;
  typedef ReplicasVector::const_iterator ReplicasIterator;
  typedef ISRSVector::const_iterator ISRSIterator;
  virtual int32_t id() const = 0;
  virtual ErrorCode err() const = 0;
  virtual int32_t leader() const = 0;
  virtual const std::vector<int32_t> *replicas() const = 0;
  virtual const std::vector<int32_t> *isrs() const = 0;
  virtual ~PartitionMetadata() = 0;
};

class TopicMetadata {
 public:
  typedef std::vector<const PartitionMetadata *> PartitionMetadataVector;
  typedef PartitionMetadataVector::const_iterator PartitionMetadataIterator;
  virtual std::string topic() const = 0;
  virtual const PartitionMetadataVector *partitions() const = 0;
  virtual ErrorCode err() const = 0;
  virtual ~TopicMetadata() = 0;
};

class Metadata {
 public:
  typedef std::vector<const BrokerMetadata *> BrokerMetadataVector;
  typedef std::vector<const TopicMetadata *> TopicMetadataVector;
  typedef BrokerMetadataVector::const_iterator BrokerMetadataIterator;
  typedef TopicMetadataVector::const_iterator TopicMetadataIterator;
  virtual const BrokerMetadataVector *brokers() const = 0;
  virtual const TopicMetadataVector *topics() const = 0;
  virtual int32_t orig_broker_id() const = 0;
  virtual std::string orig_broker_name() const = 0;
  virtual ~Metadata() = 0;
};

/* ------------------------------------------------------------------------
 * Implementation. Nothing below is part of the API.
 * ---------------------------------------------------------------------- */
namespace detail {

/* Whether a function of the pending C API is linked in (see the top). A
 * function call keeps compilers from warning that an address is never
 * NULL when the declaration is not weak. */
template <typename F>
inline bool linked(F *fn) {
  return fn != NULL;
}

inline ErrorCode code(rd_kafka_resp_err_t err) {
  return static_cast<ErrorCode>(err);
}

inline std::string str_or_empty(const char *s) {
  return s != NULL ? std::string(s) : std::string();
}

/* The C library writes errors into caller buffers of this size. */
const size_t ERRSTR_SIZE = 512;

/* Frees strings the C library returns for the caller to free. */
inline std::string take_c_string(rd_kafka_t *rk, char *s) {
  std::string out = str_or_empty(s);
  if (s != NULL)
    rd_kafka_mem_free(rk, s);
  return out;
}

class ErrorImpl : public Error {
 public:
  /* Takes ownership of a non-NULL C error. */
  explicit ErrorImpl(rd_kafka_error_t *error) : error_(error) {}
  ~ErrorImpl() { rd_kafka_error_destroy(error_); }
  ErrorCode code() const { return detail::code(rd_kafka_error_code(error_)); }
  std::string name() const { return str_or_empty(rd_kafka_error_name(error_)); }
  std::string str() const { return str_or_empty(rd_kafka_error_string(error_)); }
  bool is_fatal() const { return rd_kafka_error_is_fatal(error_) != 0; }
  bool is_retriable() const { return rd_kafka_error_is_retriable(error_) != 0; }
  bool txn_requires_abort() const {
    return rd_kafka_error_txn_requires_abort(error_) != 0;
  }

 private:
  ErrorImpl(const ErrorImpl &);
  ErrorImpl &operator=(const ErrorImpl &);
  rd_kafka_error_t *error_;
};

/* NULL stays NULL: the C API reports success as a NULL error. */
inline Error *wrap_error(rd_kafka_error_t *error) {
  return error != NULL ? new ErrorImpl(error) : NULL;
}

inline Error *not_implemented_error() {
  return new ErrorImpl(rd_kafka_error_new(
      RD_KAFKA_RESP_ERR__NOT_IMPLEMENTED, "%s",
      "not implemented by this build of the C library"));
}

/* A rd_kafka_error_t's code, destroying it. */
inline ErrorCode consume_error(rd_kafka_error_t *error) {
  if (error == NULL)
    return ERR_NO_ERROR;
  ErrorCode err = code(rd_kafka_error_code(error));
  rd_kafka_error_destroy(error);
  return err;
}

class EventImpl : public Event {
 public:
  EventImpl(Type type, ErrorCode err, Severity severity, const char *fac,
            const char *str)
      : throttle_time_(0),
        broker_id_(-1),
        fatal_(false),
        type_(type),
        err_(err),
        severity_(severity),
        fac_(str_or_empty(fac)),
        str_(str_or_empty(str)) {}
  Type type() const { return type_; }
  ErrorCode err() const { return err_; }
  Severity severity() const { return severity_; }
  std::string fac() const { return fac_; }
  std::string str() const { return str_; }
  int throttle_time() const { return throttle_time_; }
  std::string broker_name() const { return broker_name_; }
  int broker_id() const { return broker_id_; }
  bool fatal() const { return fatal_; }

  int throttle_time_;
  std::string broker_name_;
  int broker_id_;
  bool fatal_;

 private:
  Type type_;
  ErrorCode err_;
  Severity severity_;
  std::string fac_;
  std::string str_;
};

class TopicPartitionImpl : public TopicPartition {
 public:
  TopicPartitionImpl(const std::string &topic, int partition, int64_t offset,
                     ErrorCode err)
      : topic_(topic), partition_(partition), offset_(offset), err_(err) {}
  const std::string &topic() const { return topic_; }
  int partition() const { return partition_; }
  int64_t offset() const { return offset_; }
  void set_offset(int64_t offset) { offset_ = offset; }
  ErrorCode err() const { return err_; }
  void set_err(ErrorCode err) { err_ = err; }

 private:
  std::string topic_;
  int partition_;
  int64_t offset_;
  ErrorCode err_;
};

/* Owns a C partition list for the duration of one call. */
class CPartitionList {
 public:
  explicit CPartitionList(rd_kafka_topic_partition_list_t *list) : list_(list) {}
  ~CPartitionList() {
    if (list_ != NULL)
      rd_kafka_topic_partition_list_destroy(list_);
  }
  rd_kafka_topic_partition_list_t *get() const { return list_; }

 private:
  CPartitionList(const CPartitionList &);
  CPartitionList &operator=(const CPartitionList &);
  rd_kafka_topic_partition_list_t *list_;
};

inline bool partition_lists_linked() {
  return linked(&rd_kafka_topic_partition_list_new) &&
         linked(&rd_kafka_topic_partition_list_add) &&
         linked(&rd_kafka_topic_partition_list_destroy);
}

inline rd_kafka_topic_partition_list_t *to_c_list(
    const std::vector<TopicPartition *> &partitions) {
  rd_kafka_topic_partition_list_t *list =
      rd_kafka_topic_partition_list_new(static_cast<int>(partitions.size()));
  if (list == NULL)
    throw std::bad_alloc();
  for (size_t i = 0; i < partitions.size(); i++) {
    const TopicPartition *tp = partitions[i];
    if (tp == NULL)
      continue;
    rd_kafka_topic_partition_t *elem = rd_kafka_topic_partition_list_add(
        list, tp->topic().c_str(), tp->partition());
    if (elem != NULL)
      elem->offset = tp->offset();
  }
  return list;
}

/* New TopicPartition objects for a C list; the caller owns them. */
inline std::vector<TopicPartition *> from_c_list(
    const rd_kafka_topic_partition_list_t *list) {
  std::vector<TopicPartition *> out;
  if (list == NULL)
    return out;
  out.reserve(static_cast<size_t>(list->cnt));
  for (int i = 0; i < list->cnt; i++) {
    const rd_kafka_topic_partition_t &e = list->elems[i];
    out.push_back(new TopicPartitionImpl(str_or_empty(e.topic), e.partition,
                                         e.offset, code(e.err)));
  }
  return out;
}

/* Copies offsets and per-partition errors the C call wrote back into the
 * application's objects, matching by topic and partition. */
inline void update_from_c_list(std::vector<TopicPartition *> &partitions,
                               const rd_kafka_topic_partition_list_t *list) {
  if (list == NULL)
    return;
  for (size_t i = 0; i < partitions.size(); i++) {
    TopicPartition *tp = partitions[i];
    if (tp == NULL)
      continue;
    for (int j = 0; j < list->cnt; j++) {
      const rd_kafka_topic_partition_t &e = list->elems[j];
      if (e.partition != tp->partition() || e.topic == NULL ||
          tp->topic() != e.topic)
        continue;
      tp->set_offset(e.offset);
      TopicPartitionImpl *impl = dynamic_cast<TopicPartitionImpl *>(tp);
      if (impl != NULL)
        impl->set_err(code(e.err));
      break;
    }
  }
}

inline void destroy_partitions(std::vector<TopicPartition *> &partitions) {
  for (size_t i = 0; i < partitions.size(); i++)
    delete partitions[i];
  partitions.clear();
}

class HeadersImpl : public Headers {
 public:
  /* owned: destroy the C headers with this object. */
  HeadersImpl(rd_kafka_headers_t *hdrs, bool owned)
      : hdrs_(hdrs), owned_(owned) {}
  ~HeadersImpl() {
    if (owned_ && hdrs_ != NULL)
      rd_kafka_headers_destroy(hdrs_);
  }
  ErrorCode add(const std::string &key, const void *value, size_t value_size) {
    return code(rd_kafka_header_add(hdrs_, key.data(),
                                    static_cast<ssize_t>(key.size()), value,
                                    static_cast<ssize_t>(value_size)));
  }
  ErrorCode add(const std::string &key, const std::string &value) {
    return add(key, value.data(), value.size());
  }
  ErrorCode add(const Header &header) {
    return add(header.key(), header.value(), header.value_size());
  }
  ErrorCode remove(const std::string &key) {
    return code(rd_kafka_header_remove(hdrs_, key.c_str()));
  }
  std::vector<Header> get(const std::string &key) const {
    std::vector<Header> out;
    const void *value;
    size_t size;
    for (size_t idx = 0; rd_kafka_header_get(hdrs_, idx, key.c_str(), &value,
                                             &size) == RD_KAFKA_RESP_ERR_NO_ERROR;
         idx++)
      out.push_back(Header(key, value, size));
    return out;
  }
  Header get_last(const std::string &key) const {
    const void *value = NULL;
    size_t size = 0;
    rd_kafka_resp_err_t err =
        rd_kafka_header_get_last(hdrs_, key.c_str(), &value, &size);
    return Header(key, value, size, code(err));
  }
  std::vector<Header> get_all() const {
    std::vector<Header> out;
    const char *name;
    const void *value;
    size_t size;
    for (size_t idx = 0; rd_kafka_header_get_all(hdrs_, idx, &name, &value,
                                                 &size) ==
                         RD_KAFKA_RESP_ERR_NO_ERROR;
         idx++)
      out.push_back(Header(str_or_empty(name), value, size));
    return out;
  }
  size_t size() const { return rd_kafka_header_cnt(hdrs_); }

  /* Hands the C headers to the caller (produce() on success). */
  rd_kafka_headers_t *release() {
    rd_kafka_headers_t *h = hdrs_;
    hdrs_ = NULL;
    owned_ = false;
    return h;
  }
  rd_kafka_headers_t *c_headers() const { return hdrs_; }

 private:
  HeadersImpl(const HeadersImpl &);
  HeadersImpl &operator=(const HeadersImpl &);
  rd_kafka_headers_t *hdrs_;
  bool owned_;
};

/* What a C topic's opaque points at: the partitioner callbacks for its
 * trampoline and, for topics made by Topic::create, the Topic object. */
class PendingException;
struct TopicOpaque {
  TopicOpaque()
      : partitioner(NULL), partitioner_kp(NULL), topic(NULL), pending(NULL) {}
  PartitionerCb *partitioner;
  PartitionerKeyPointerCb *partitioner_kp;
  Topic *topic;
  /* Where a throwing partitioner's exception goes: its handle's. */
  PendingException *pending;
};

inline TopicOpaque *topic_opaque(const rd_kafka_topic_t *rkt) {
  return rkt != NULL ? static_cast<TopicOpaque *>(rd_kafka_topic_opaque(rkt))
                     : NULL;
}

/* A Topic that borrows a C topic, handed to partitioners for topics the
 * application did not create with Topic::create. */
class TopicView : public Topic {
 public:
  explicit TopicView(rd_kafka_topic_t *rkt) : rkt_(rkt) {}
  std::string name() const { return str_or_empty(rd_kafka_topic_name(rkt_)); }
  bool partition_available(int32_t partition) const {
    return rd_kafka_topic_partition_available(rkt_, partition) != 0;
  }
  ErrorCode offset_store(int32_t partition, int64_t offset) {
    if (!linked(&rd_kafka_offset_store))
      return ERR__NOT_IMPLEMENTED;
    return code(rd_kafka_offset_store(rkt_, partition, offset));
  }
  struct rd_kafka_topic_s *c_ptr() { return rkt_; }

 protected:
  rd_kafka_topic_t *rkt_;
};

class TopicImpl : public TopicView {
 public:
  TopicImpl() : TopicView(NULL) { opaque_.topic = this; }
  ~TopicImpl() {
    if (rkt_ != NULL)
      rd_kafka_topic_destroy(rkt_);
  }
  TopicOpaque opaque_;
  void attach(rd_kafka_topic_t *rkt) { rkt_ = rkt; }

 private:
  TopicImpl(const TopicImpl &);
  TopicImpl &operator=(const TopicImpl &);
};

inline int32_t partitioner_trampoline(const rd_kafka_topic_t *rkt,
                                      const void *keydata, size_t keylen,
                                      int32_t partition_cnt, void *rkt_opaque,
                                      void *msg_opaque);

class MessageImpl : public Message {
 public:
  /* owned: destroy the C message with this object (consumed messages);
   * otherwise it is borrowed for a callback. */
  MessageImpl(rd_kafka_message_t *rkmessage, bool owned,
              bool delivery_report = false)
      : rkmessage_(rkmessage), owned_(owned),
        delivery_report_(delivery_report), key_(NULL), headers_(NULL) {}
  /* A message that only carries an error (consume() timing out). */
  explicit MessageImpl(ErrorCode err)
      : rkmessage_(&local_), owned_(false), delivery_report_(false),
        key_(NULL), headers_(NULL) {
    std::memset(&local_, 0, sizeof(local_));
    local_.err = static_cast<rd_kafka_resp_err_t>(err);
    local_.partition = -1;
    local_.offset = -1001;
  }
  ~MessageImpl() {
    delete key_;
    delete headers_;
    if (owned_)
      rd_kafka_message_destroy(rkmessage_);
  }
  std::string errstr() const {
    if (rkmessage_->err == RD_KAFKA_RESP_ERR_NO_ERROR)
      return std::string();
    /* librdkafka's rd_kafka_message_errstr() returns the payload of a
     * message with an error: the error text for a consumer error, but the
     * application's payload (not NUL-terminated) for a failed delivery
     * report, so delivery reports use the error code's text. */
    if (rkmessage_ != &local_ && !delivery_report_) {
      const char *s = rd_kafka_message_errstr(rkmessage_);
      if (s != NULL)
        return s;
    }
    return str_or_empty(rd_kafka_err2str(rkmessage_->err));
  }
  ErrorCode err() const { return code(rkmessage_->err); }
  Topic *topic() const {
    TopicOpaque *o = topic_opaque(rkmessage_->rkt);
    return o != NULL ? o->topic : NULL;
  }
  std::string topic_name() const {
    return rkmessage_->rkt != NULL
               ? str_or_empty(rd_kafka_topic_name(rkmessage_->rkt))
               : std::string();
  }
  int32_t partition() const { return rkmessage_->partition; }
  void *payload() const { return rkmessage_->payload; }
  size_t len() const { return rkmessage_->len; }
  const std::string *key() const {
    if (rkmessage_->key == NULL)
      return NULL;
    if (key_ == NULL)
      key_ = new std::string(static_cast<const char *>(rkmessage_->key),
                             rkmessage_->key_len);
    return key_;
  }
  const void *key_pointer() const { return rkmessage_->key; }
  size_t key_len() const { return rkmessage_->key_len; }
  int64_t offset() const { return rkmessage_->offset; }
  MessageTimestamp timestamp() const {
    MessageTimestamp ts;
    ts.type = MessageTimestamp::MSG_TIMESTAMP_NOT_AVAILABLE;
    ts.timestamp = -1;
    if (rkmessage_ == &local_)
      return ts;
    rd_kafka_timestamp_type_t type;
    ts.timestamp = rd_kafka_message_timestamp(rkmessage_, &type);
    ts.type = static_cast<MessageTimestamp::MessageTimestampType>(type);
    return ts;
  }
  void *msg_opaque() const { return rkmessage_->_private; }
  int64_t latency() const {
    return rkmessage_ != &local_ ? rd_kafka_message_latency(rkmessage_) : -1;
  }
  struct rd_kafka_message_s *c_ptr() { return rkmessage_; }
  Status status() const {
    return rkmessage_ != &local_
               ? static_cast<Status>(rd_kafka_message_status(rkmessage_))
               : MSG_STATUS_NOT_PERSISTED;
  }
  Headers *headers() {
    ErrorCode err;
    return headers(&err);
  }
  Headers *headers(ErrorCode *err) {
    *err = ERR_NO_ERROR;
    if (headers_ != NULL)
      return headers_;
    if (rkmessage_ == &local_) {
      *err = ERR__NOENT;
      return NULL;
    }
    rd_kafka_headers_t *hdrs = NULL;
    rd_kafka_resp_err_t e = rd_kafka_message_headers(rkmessage_, &hdrs);
    if (e != RD_KAFKA_RESP_ERR_NO_ERROR || hdrs == NULL) {
      *err = e != RD_KAFKA_RESP_ERR_NO_ERROR ? code(e) : ERR__NOENT;
      return NULL;
    }
    /* The headers stay the message's: this is a view that lives as long
     * as this object. */
    headers_ = new HeadersImpl(hdrs, false);
    return headers_;
  }
  int32_t broker_id() const {
    return rkmessage_ != &local_ ? rd_kafka_message_broker_id(rkmessage_) : -1;
  }

 private:
  MessageImpl(const MessageImpl &);
  MessageImpl &operator=(const MessageImpl &);
  rd_kafka_message_t *rkmessage_;
  bool owned_;
  bool delivery_report_;
  rd_kafka_message_t local_;
  mutable std::string *key_;
  HeadersImpl *headers_;
};

/* A consumed message, or a timed-out marker when the C call returned none. */
inline Message *wrap_consumed(rd_kafka_message_t *rkmessage) {
  if (rkmessage == NULL)
    return new MessageImpl(ERR__TIMED_OUT);
  return new MessageImpl(rkmessage, true);
}

class QueueImpl : public Queue {
 public:
  explicit QueueImpl(rd_kafka_queue_t *queue) : queue_(queue) {}
  ~QueueImpl() { rd_kafka_queue_destroy(queue_); }
  ErrorCode forward(Queue *dst) {
    QueueImpl *d = dynamic_cast<QueueImpl *>(dst);
    if (dst != NULL && d == NULL)
      return ERR__INVALID_ARG;
    rd_kafka_queue_forward(queue_, d != NULL ? d->queue_ : NULL);
    return ERR_NO_ERROR;
  }
  Message *consume(int timeout_ms) {
    return wrap_consumed(rd_kafka_consume_queue(queue_, timeout_ms));
  }
  int poll(int timeout_ms) {
    return rd_kafka_queue_poll_callback(queue_, timeout_ms);
  }
  void io_event_enable(int fd, const void *payload, size_t size) {
    rd_kafka_queue_io_event_enable(queue_, fd, payload, size);
  }
  rd_kafka_queue_t *c_queue() const { return queue_; }

 private:
  QueueImpl(const QueueImpl &);
  QueueImpl &operator=(const QueueImpl &);
  rd_kafka_queue_t *queue_;
};

inline bool queue_api_linked() {
  return linked(&rd_kafka_queue_destroy) && linked(&rd_kafka_queue_forward) &&
         linked(&rd_kafka_consume_queue) &&
         linked(&rd_kafka_queue_poll_callback) &&
         linked(&rd_kafka_queue_io_event_enable);
}

inline Queue *wrap_queue(rd_kafka_queue_t *queue) {
  return queue != NULL ? new QueueImpl(queue) : NULL;
}

class ConsumerGroupMetadataImpl : public ConsumerGroupMetadata {
 public:
  explicit ConsumerGroupMetadataImpl(rd_kafka_consumer_group_metadata_t *md)
      : md_(md) {}
  ~ConsumerGroupMetadataImpl() { rd_kafka_consumer_group_metadata_destroy(md_); }
  const rd_kafka_consumer_group_metadata_t *c_ptr() const { return md_; }

 private:
  ConsumerGroupMetadataImpl(const ConsumerGroupMetadataImpl &);
  ConsumerGroupMetadataImpl &operator=(const ConsumerGroupMetadataImpl &);
  rd_kafka_consumer_group_metadata_t *md_;
};

class BrokerMetadataImpl : public BrokerMetadata {
 public:
  explicit BrokerMetadataImpl(const rd_kafka_metadata_broker_t &b)
      : id_(b.id), host_(str_or_empty(b.host)), port_(b.port) {}
  int32_t id() const { return id_; }
  std::string host() const { return host_; }
  int port() const { return port_; }

 private:
  int32_t id_;
  std::string host_;
  int port_;
};

class PartitionMetadataImpl : public PartitionMetadata {
 public:
  explicit PartitionMetadataImpl(const rd_kafka_metadata_partition_t &p)
      : id_(p.id), err_(code(p.err)), leader_(p.leader) {
    if (p.replicas != NULL && p.replica_cnt > 0)
      replicas_.assign(p.replicas, p.replicas + p.replica_cnt);
    if (p.isrs != NULL && p.isr_cnt > 0)
      isrs_.assign(p.isrs, p.isrs + p.isr_cnt);
  }
  int32_t id() const { return id_; }
  ErrorCode err() const { return err_; }
  int32_t leader() const { return leader_; }
  const std::vector<int32_t> *replicas() const { return &replicas_; }
  const std::vector<int32_t> *isrs() const { return &isrs_; }

 private:
  int32_t id_;
  ErrorCode err_;
  int32_t leader_;
  std::vector<int32_t> replicas_;
  std::vector<int32_t> isrs_;
};

class TopicMetadataImpl : public TopicMetadata {
 public:
  explicit TopicMetadataImpl(const rd_kafka_metadata_topic_t &t)
      : topic_(str_or_empty(t.topic)), err_(code(t.err)) {
    for (int i = 0; t.partitions != NULL && i < t.partition_cnt; i++)
      partitions_.push_back(new PartitionMetadataImpl(t.partitions[i]));
  }
  ~TopicMetadataImpl() {
    for (size_t i = 0; i < partitions_.size(); i++)
      delete partitions_[i];
  }
  std::string topic() const { return topic_; }
  const PartitionMetadataVector *partitions() const { return &partitions_; }
  ErrorCode err() const { return err_; }

 private:
  TopicMetadataImpl(const TopicMetadataImpl &);
  TopicMetadataImpl &operator=(const TopicMetadataImpl &);
  std::string topic_;
  ErrorCode err_;
  PartitionMetadataVector partitions_;
};

/* A copy of the C metadata, so the C struct is freed right away. */
class MetadataImpl : public Metadata {
 public:
  explicit MetadataImpl(const rd_kafka_metadata_t &md)
      : orig_broker_id_(md.orig_broker_id),
        orig_broker_name_(str_or_empty(md.orig_broker_name)) {
    for (int i = 0; md.brokers != NULL && i < md.broker_cnt; i++)
      brokers_.push_back(new BrokerMetadataImpl(md.brokers[i]));
    for (int i = 0; md.topics != NULL && i < md.topic_cnt; i++)
      topics_.push_back(new TopicMetadataImpl(md.topics[i]));
  }
  ~MetadataImpl() {
    for (size_t i = 0; i < brokers_.size(); i++)
      delete brokers_[i];
    for (size_t i = 0; i < topics_.size(); i++)
      delete topics_[i];
  }
  const BrokerMetadataVector *brokers() const { return &brokers_; }
  const TopicMetadataVector *topics() const { return &topics_; }
  int32_t orig_broker_id() const { return orig_broker_id_; }
  std::string orig_broker_name() const { return orig_broker_name_; }

 private:
  MetadataImpl(const MetadataImpl &);
  MetadataImpl &operator=(const MetadataImpl &);
  BrokerMetadataVector brokers_;
  TopicMetadataVector topics_;
  int32_t orig_broker_id_;
  std::string orig_broker_name_;
};

class ConfImpl : public Conf {
 public:
  explicit ConfImpl(ConfType type)
      : type_(type),
        conf_(type == CONF_GLOBAL ? rd_kafka_conf_new() : NULL),
        tconf_(type == CONF_TOPIC ? rd_kafka_topic_conf_new() : NULL),
        dr_cb_(NULL),
        oauth_cb_(NULL),
        event_cb_(NULL),
        socket_cb_(NULL),
        open_cb_(NULL),
        rebalance_cb_(NULL),
        offset_commit_cb_(NULL),
        ssl_verify_cb_(NULL),
        consume_cb_(NULL) {}
  ~ConfImpl() {
    if (conf_ != NULL)
      rd_kafka_conf_destroy(conf_);
    if (tconf_ != NULL)
      rd_kafka_topic_conf_destroy(tconf_);
  }

  ConfResult set(const std::string &name, const std::string &value,
                 std::string &errstr) {
    char buf[ERRSTR_SIZE] = "";
    rd_kafka_conf_res_t res =
        conf_ != NULL
            ? rd_kafka_conf_set(conf_, name.c_str(), value.c_str(), buf,
                                sizeof(buf))
            : rd_kafka_topic_conf_set(tconf_, name.c_str(), value.c_str(), buf,
                                      sizeof(buf));
    if (res != RD_KAFKA_CONF_OK)
      errstr = buf;
    return static_cast<ConfResult>(res);
  }
  ConfResult set(const std::string &name, DeliveryReportCb *cb,
                 std::string &errstr) {
    return set_global(name, "dr_cb", cb, dr_cb_, errstr);
  }
  ConfResult set(const std::string &name, OAuthBearerTokenRefreshCb *cb,
                 std::string &errstr) {
    return set_global(name, "oauthbearer_token_refresh_cb", cb, oauth_cb_,
                      errstr);
  }
  ConfResult set(const std::string &name, EventCb *cb, std::string &errstr) {
    return set_global(name, "event_cb", cb, event_cb_, errstr);
  }
  ConfResult set(const std::string &name, const Conf *topic_conf,
                 std::string &errstr) {
    if (name != "default_topic_conf")
      return wrong_name(name, "default_topic_conf", errstr);
    if (conf_ == NULL)
      return needs(CONF_GLOBAL, name, errstr);
    const ConfImpl *t = dynamic_cast<const ConfImpl *>(topic_conf);
    if (t == NULL || t->tconf_ == NULL) {
      errstr = "default_topic_conf requires an RdKafka::Conf::CONF_TOPIC object";
      return CONF_INVALID;
    }
    rd_kafka_topic_conf_t *copy = rd_kafka_topic_conf_dup(t->tconf_);
    if (copy == NULL) {
      errstr = "cannot copy the topic configuration";
      return CONF_INVALID;
    }
    rd_kafka_conf_set_default_topic_conf(conf_, copy);
    default_topic_ = TopicOpaque();
    default_topic_.partitioner = t->topic_.partitioner;
    default_topic_.partitioner_kp = t->topic_.partitioner_kp;
    return CONF_OK;
  }
  ConfResult set(const std::string &name, PartitionerCb *cb,
                 std::string &errstr) {
    if (name != "partitioner_cb")
      return wrong_name(name, "partitioner_cb", errstr);
    if (tconf_ == NULL)
      return needs(CONF_TOPIC, name, errstr);
    topic_.partitioner = cb;
    topic_.partitioner_kp = NULL;
    install_partitioner();
    return CONF_OK;
  }
  ConfResult set(const std::string &name, PartitionerKeyPointerCb *cb,
                 std::string &errstr) {
    if (name != "partitioner_key_pointer_cb")
      return wrong_name(name, "partitioner_key_pointer_cb", errstr);
    if (tconf_ == NULL)
      return needs(CONF_TOPIC, name, errstr);
    topic_.partitioner_kp = cb;
    topic_.partitioner = NULL;
    install_partitioner();
    return CONF_OK;
  }
  ConfResult set(const std::string &name, SocketCb *cb, std::string &errstr) {
    return set_global(name, "socket_cb", cb, socket_cb_, errstr);
  }
  ConfResult set(const std::string &name, OpenCb *cb, std::string &errstr) {
    return set_global(name, "open_cb", cb, open_cb_, errstr);
  }
  ConfResult set(const std::string &name, RebalanceCb *cb,
                 std::string &errstr) {
    return set_global(name, "rebalance_cb", cb, rebalance_cb_, errstr);
  }
  ConfResult set(const std::string &name, OffsetCommitCb *cb,
                 std::string &errstr) {
    return set_global(name, "offset_commit_cb", cb, offset_commit_cb_, errstr);
  }
  ConfResult set(const std::string &name, SslCertificateVerifyCb *cb,
                 std::string &errstr) {
    return set_global(name, "ssl_cert_verify_cb", cb, ssl_verify_cb_, errstr);
  }
  ConfResult set(const std::string &name, ConsumeCb *cb, std::string &errstr) {
    return set_global(name, "consume_cb", cb, consume_cb_, errstr);
  }
  ConfResult set_ssl_cert(CertificateType cert_type,
                          CertificateEncoding cert_enc, const void *buffer,
                          size_t size, std::string &errstr) {
    if (conf_ == NULL)
      return needs(CONF_GLOBAL, "ssl certificate", errstr);
    char buf[ERRSTR_SIZE] = "";
    rd_kafka_conf_res_t res = rd_kafka_conf_set_ssl_cert(
        conf_, static_cast<rd_kafka_cert_type_t>(cert_type),
        static_cast<rd_kafka_cert_enc_t>(cert_enc), buffer, size, buf,
        sizeof(buf));
    if (res != RD_KAFKA_CONF_OK)
      errstr = buf;
    return static_cast<ConfResult>(res);
  }

  ConfResult get(const std::string &name, std::string &value) const {
    size_t size = 0;
    rd_kafka_conf_res_t res =
        conf_ != NULL
            ? rd_kafka_conf_get(conf_, name.c_str(), NULL, &size)
            : rd_kafka_topic_conf_get(tconf_, name.c_str(), NULL, &size);
    if (res != RD_KAFKA_CONF_OK)
      return static_cast<ConfResult>(res);
    std::vector<char> buf(size + 1, '\0');
    res = conf_ != NULL
              ? rd_kafka_conf_get(conf_, name.c_str(), &buf[0], &size)
              : rd_kafka_topic_conf_get(tconf_, name.c_str(), &buf[0], &size);
    if (res == RD_KAFKA_CONF_OK)
      value = &buf[0];
    return static_cast<ConfResult>(res);
  }
  ConfResult get(DeliveryReportCb *&cb) const { return get_global(dr_cb_, cb); }
  ConfResult get(OAuthBearerTokenRefreshCb *&cb) const {
    return get_global(oauth_cb_, cb);
  }
  ConfResult get(EventCb *&cb) const { return get_global(event_cb_, cb); }
  ConfResult get(PartitionerCb *&cb) const {
    if (tconf_ == NULL)
      return CONF_UNKNOWN;
    cb = topic_.partitioner;
    return CONF_OK;
  }
  ConfResult get(PartitionerKeyPointerCb *&cb) const {
    if (tconf_ == NULL)
      return CONF_UNKNOWN;
    cb = topic_.partitioner_kp;
    return CONF_OK;
  }
  ConfResult get(SocketCb *&cb) const { return get_global(socket_cb_, cb); }
  ConfResult get(OpenCb *&cb) const { return get_global(open_cb_, cb); }
  ConfResult get(RebalanceCb *&cb) const {
    return get_global(rebalance_cb_, cb);
  }
  ConfResult get(OffsetCommitCb *&cb) const {
    return get_global(offset_commit_cb_, cb);
  }
  ConfResult get(SslCertificateVerifyCb *&cb) const {
    return get_global(ssl_verify_cb_, cb);
  }

  std::list<std::string> *dump() {
    size_t cnt = 0;
    const char **arr = conf_ != NULL ? rd_kafka_conf_dump(conf_, &cnt)
                                     : rd_kafka_topic_conf_dump(tconf_, &cnt);
    std::list<std::string> *out = new std::list<std::string>();
    for (size_t i = 0; arr != NULL && i < cnt; i++)
      out->push_back(str_or_empty(arr[i]));
    if (arr != NULL)
      rd_kafka_conf_dump_free(arr, cnt);
    return out;
  }
  struct rd_kafka_conf_s *c_ptr_global() { return conf_; }
  struct rd_kafka_topic_conf_s *c_ptr_topic() { return tconf_; }
  ConfResult set_engine_callback_data(void *value, std::string &errstr) {
    if (conf_ == NULL)
      return needs(CONF_GLOBAL, "engine callback data", errstr);
    rd_kafka_conf_set_engine_callback_data(conf_, value);
    return CONF_OK;
  }
  ConfResult enable_sasl_queue(bool enable, std::string &errstr) {
    if (conf_ == NULL)
      return needs(CONF_GLOBAL, "sasl queue", errstr);
    rd_kafka_conf_enable_sasl_queue(conf_, enable ? 1 : 0);
    return CONF_OK;
  }

  ConfType type_;
  rd_kafka_conf_t *conf_;
  rd_kafka_topic_conf_t *tconf_;
  DeliveryReportCb *dr_cb_;
  OAuthBearerTokenRefreshCb *oauth_cb_;
  EventCb *event_cb_;
  SocketCb *socket_cb_;
  OpenCb *open_cb_;
  RebalanceCb *rebalance_cb_;
  OffsetCommitCb *offset_commit_cb_;
  SslCertificateVerifyCb *ssl_verify_cb_;
  ConsumeCb *consume_cb_;
  /* Topic conf: its partitioner. Global conf: the partitioner of the
   * default topic conf, re-pointed at the handle's copy on create. */
  TopicOpaque topic_;
  TopicOpaque default_topic_;

 private:
  ConfImpl(const ConfImpl &);
  ConfImpl &operator=(const ConfImpl &);

  template <typename Cb>
  ConfResult set_global(const std::string &name, const char *expected, Cb *cb,
                        Cb *&slot, std::string &errstr) {
    if (name != expected)
      return wrong_name(name, expected, errstr);
    if (conf_ == NULL)
      return needs(CONF_GLOBAL, name, errstr);
    slot = cb;
    return CONF_OK;
  }
  template <typename Cb>
  ConfResult get_global(Cb *slot, Cb *&out) const {
    if (conf_ == NULL)
      return CONF_UNKNOWN;
    out = slot;
    return CONF_OK;
  }
  static ConfResult wrong_name(const std::string &name, const char *expected,
                               std::string &errstr) {
    errstr = "Invalid value type for \"" + name + "\": this overload sets \"" +
             expected + "\"";
    return CONF_INVALID;
  }
  static ConfResult needs(ConfType type, const std::string &what,
                          std::string &errstr) {
    errstr = "\"" + what + "\" requires an RdKafka::Conf::" +
             (type == CONF_GLOBAL ? "CONF_GLOBAL" : "CONF_TOPIC") + " object";
    return CONF_INVALID;
  }
  /* The topic conf's opaque points at this object's TopicOpaque until a
   * copy of it is re-pointed by Topic::create or a handle. */
  void install_partitioner() {
    rd_kafka_topic_conf_set_partitioner_cb(tconf_, partitioner_trampoline);
    rd_kafka_topic_conf_set_opaque(tconf_, &topic_);
  }
};

/* The first exception thrown by a callback, until a C++ method rethrows it.
 * Callbacks on internal threads store here too, hence the lock. */
class PendingException {
 public:
  void store() {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!pending_)
      pending_ = std::current_exception();
  }
  void rethrow() {
    std::exception_ptr e;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      e = pending_;
      pending_ = std::exception_ptr();
    }
    if (e)
      std::rethrow_exception(e);
  }

 private:
  std::mutex mutex_;
  std::exception_ptr pending_;
};

class HandleImpl : public virtual Handle {
 public:
  HandleImpl()
      : rk_(NULL),
        consumer_(NULL),
        dr_cb_(NULL),
        oauth_cb_(NULL),
        event_cb_(NULL),
        socket_cb_(NULL),
        open_cb_(NULL),
        rebalance_cb_(NULL),
        offset_commit_cb_(NULL),
        ssl_verify_cb_(NULL),
        consume_cb_(NULL) {}

  /* Creates the C handle from a copy of conf with this object as the
   * callbacks' opaque. */
  bool init(rd_kafka_type_t type, const Conf *conf, std::string &errstr);

  /* Destroys the C handle; the most derived destructor calls it so that
   * callbacks during teardown still see a whole object. Exceptions from
   * those callbacks are dropped. */
  void destroy_handle() {
    if (rk_ != NULL) {
      rd_kafka_destroy(rk_);
      rk_ = NULL;
    }
  }

  std::string name() const { return str_or_empty(rd_kafka_name(rk_)); }
  std::string memberid() const {
    if (!linked(&rd_kafka_memberid))
      return std::string();
    return take_c_string(rk_, rd_kafka_memberid(rk_));
  }
  int poll(int timeout_ms) {
    int n = rd_kafka_poll(rk_, timeout_ms);
    pending_.rethrow();
    return n;
  }
  int outq_len() { return rd_kafka_outq_len(rk_); }
  ErrorCode metadata(bool all_topics, const Topic *only_rkt,
                     Metadata **metadatap, int timeout_ms) {
    if (!linked(&rd_kafka_metadata) || !linked(&rd_kafka_metadata_destroy))
      return ERR__NOT_IMPLEMENTED;
    rd_kafka_topic_t *rkt =
        only_rkt != NULL ? const_cast<Topic *>(only_rkt)->c_ptr() : NULL;
    const rd_kafka_metadata_t *md = NULL;
    rd_kafka_resp_err_t err =
        rd_kafka_metadata(rk_, all_topics ? 1 : 0, rkt, &md, timeout_ms);
    if (err == RD_KAFKA_RESP_ERR_NO_ERROR && md != NULL) {
      try {
        *metadatap = new MetadataImpl(*md);
      } catch (...) {
        rd_kafka_metadata_destroy(md);
        throw;
      }
      rd_kafka_metadata_destroy(md);
    }
    return code(err);
  }
  ErrorCode pause(std::vector<TopicPartition *> &partitions) {
    return partitions_call(rd_kafka_pause_partitions, partitions);
  }
  ErrorCode resume(std::vector<TopicPartition *> &partitions) {
    return partitions_call(rd_kafka_resume_partitions, partitions);
  }
  ErrorCode query_watermark_offsets(const std::string &topic,
                                    int32_t partition, int64_t *low,
                                    int64_t *high, int timeout_ms) {
    if (!linked(&rd_kafka_query_watermark_offsets))
      return ERR__NOT_IMPLEMENTED;
    return code(rd_kafka_query_watermark_offsets(rk_, topic.c_str(), partition,
                                                 low, high, timeout_ms));
  }
  ErrorCode get_watermark_offsets(const std::string &topic, int32_t partition,
                                  int64_t *low, int64_t *high) {
    if (!linked(&rd_kafka_get_watermark_offsets))
      return ERR__NOT_IMPLEMENTED;
    return code(
        rd_kafka_get_watermark_offsets(rk_, topic.c_str(), partition, low, high));
  }
  ErrorCode offsetsForTimes(std::vector<TopicPartition *> &offsets,
                            int timeout_ms) {
    if (!linked(&rd_kafka_offsets_for_times) || !partition_lists_linked())
      return ERR__NOT_IMPLEMENTED;
    CPartitionList list(to_c_list(offsets));
    rd_kafka_resp_err_t err =
        rd_kafka_offsets_for_times(rk_, list.get(), timeout_ms);
    update_from_c_list(offsets, list.get());
    return code(err);
  }
  Queue *get_partition_queue(const TopicPartition *partition) {
    if (partition == NULL || !linked(&rd_kafka_queue_get_partition) ||
        !queue_api_linked())
      return NULL;
    return wrap_queue(rd_kafka_queue_get_partition(
        rk_, partition->topic().c_str(), partition->partition()));
  }
  ErrorCode set_log_queue(Queue *queue) {
    if (!linked(&rd_kafka_set_log_queue))
      return ERR__NOT_IMPLEMENTED;
    QueueImpl *q = dynamic_cast<QueueImpl *>(queue);
    if (queue != NULL && q == NULL)
      return ERR__INVALID_ARG;
    return code(rd_kafka_set_log_queue(rk_, q != NULL ? q->c_queue() : NULL));
  }
  void yield() { rd_kafka_yield(rk_); }
  std::string clusterid(int timeout_ms) {
    if (!linked(&rd_kafka_clusterid))
      return std::string();
    return take_c_string(rk_, rd_kafka_clusterid(rk_, timeout_ms));
  }
  struct rd_kafka_s *c_ptr() { return rk_; }
  int32_t controllerid(int timeout_ms) {
    if (!linked(&rd_kafka_controllerid))
      return -1;
    return rd_kafka_controllerid(rk_, timeout_ms);
  }
  ErrorCode fatal_error(std::string &errstr) const {
    char buf[ERRSTR_SIZE] = "";
    rd_kafka_resp_err_t err = rd_kafka_fatal_error(rk_, buf, sizeof(buf));
    if (err != RD_KAFKA_RESP_ERR_NO_ERROR)
      errstr = buf;
    return code(err);
  }
  ErrorCode oauthbearer_set_token(const std::string &token_value,
                                  int64_t md_lifetime_ms,
                                  const std::string &md_principal_name,
                                  const std::list<std::string> &extensions,
                                  std::string &errstr) {
    if (!linked(&rd_kafka_oauthbearer_set_token))
      return ERR__NOT_IMPLEMENTED;
    std::vector<const char *> ext;
    for (std::list<std::string>::const_iterator it = extensions.begin();
         it != extensions.end(); ++it)
      ext.push_back(it->c_str());
    char buf[ERRSTR_SIZE] = "";
    rd_kafka_resp_err_t err = rd_kafka_oauthbearer_set_token(
        rk_, token_value.c_str(), md_lifetime_ms, md_principal_name.c_str(),
        ext.empty() ? NULL : &ext[0], ext.size(), buf, sizeof(buf));
    if (err != RD_KAFKA_RESP_ERR_NO_ERROR)
      errstr = buf;
    return code(err);
  }
  ErrorCode oauthbearer_set_token_failure(const std::string &errstr) {
    if (!linked(&rd_kafka_oauthbearer_set_token_failure))
      return ERR__NOT_IMPLEMENTED;
    return code(rd_kafka_oauthbearer_set_token_failure(rk_, errstr.c_str()));
  }
  Error *sasl_background_callbacks_enable() {
    if (!linked(&rd_kafka_sasl_background_callbacks_enable))
      return not_implemented_error();
    return wrap_error(rd_kafka_sasl_background_callbacks_enable(rk_));
  }
  Queue *get_sasl_queue() {
    if (!linked(&rd_kafka_queue_get_sasl) || !queue_api_linked())
      return NULL;
    return wrap_queue(rd_kafka_queue_get_sasl(rk_));
  }
  Queue *get_background_queue() {
    if (!linked(&rd_kafka_queue_get_background) || !queue_api_linked())
      return NULL;
    return wrap_queue(rd_kafka_queue_get_background(rk_));
  }
  void *mem_malloc(size_t size) {
    return linked(&rd_kafka_mem_malloc) ? rd_kafka_mem_malloc(rk_, size)
                                        : std::malloc(size);
  }
  void mem_free(void *ptr) { rd_kafka_mem_free(rk_, ptr); }
  Error *sasl_set_credentials(const std::string &username,
                              const std::string &password) {
    if (!linked(&rd_kafka_sasl_set_credentials))
      return not_implemented_error();
    return wrap_error(
        rd_kafka_sasl_set_credentials(rk_, username.c_str(), password.c_str()));
  }

  rd_kafka_t *rk_;
  /* Set by KafkaConsumerImpl: what rebalance callbacks receive. */
  KafkaConsumer *consumer_;
  DeliveryReportCb *dr_cb_;
  OAuthBearerTokenRefreshCb *oauth_cb_;
  EventCb *event_cb_;
  SocketCb *socket_cb_;
  OpenCb *open_cb_;
  RebalanceCb *rebalance_cb_;
  OffsetCommitCb *offset_commit_cb_;
  SslCertificateVerifyCb *ssl_verify_cb_;
  ConsumeCb *consume_cb_;
  /* Partitioner of topics created without Topic::create. */
  TopicOpaque default_topic_;
  PendingException pending_;

 protected:
  ErrorCode partitions_call(rd_kafka_resp_err_t (*fn)(
                                rd_kafka_t *, rd_kafka_topic_partition_list_t *),
                            std::vector<TopicPartition *> &partitions) {
    if (!linked(fn) || !partition_lists_linked())
      return ERR__NOT_IMPLEMENTED;
    CPartitionList list(to_c_list(partitions));
    rd_kafka_resp_err_t err = fn(rk_, list.get());
    update_from_c_list(partitions, list.get());
    return code(err);
  }

 private:
  HandleImpl(const HandleImpl &);
  HandleImpl &operator=(const HandleImpl &);
};

inline HandleImpl *handle_of(void *opaque) {
  return static_cast<HandleImpl *>(opaque);
}

/* ---- Trampolines: the C library calls these; each catches everything. */

inline void dr_msg_trampoline(rd_kafka_t *, const rd_kafka_message_t *rkmessage,
                              void *opaque) {
  HandleImpl *h = handle_of(opaque);
  try {
    MessageImpl msg(const_cast<rd_kafka_message_t *>(rkmessage), false, true);
    h->dr_cb_->dr_cb(msg);
  } catch (...) {
    h->pending_.store();
  }
}

inline void error_trampoline(rd_kafka_t *rk, int err, const char *reason,
                             void *opaque) {
  HandleImpl *h = handle_of(opaque);
  try {
    bool fatal = err == RD_KAFKA_RESP_ERR__FATAL;
    std::string fatal_reason;
    if (fatal) {
      /* Report the underlying error, as librdkafka's C++ API does. */
      char buf[ERRSTR_SIZE] = "";
      rd_kafka_resp_err_t orig = rd_kafka_fatal_error(rk, buf, sizeof(buf));
      if (orig != RD_KAFKA_RESP_ERR_NO_ERROR) {
        err = orig;
        fatal_reason = buf;
        reason = fatal_reason.c_str();
      }
    }
    EventImpl ev(Event::EVENT_ERROR, static_cast<ErrorCode>(err),
                 Event::EVENT_SEVERITY_ERROR, NULL, reason);
    ev.fatal_ = fatal;
    h->event_cb_->event_cb(ev);
  } catch (...) {
    h->pending_.store();
  }
}

inline void log_trampoline(const rd_kafka_t *rk, int level, const char *fac,
                           const char *buf) {
  HandleImpl *h = handle_of(rd_kafka_opaque(rk));
  if (h == NULL || h->event_cb_ == NULL)
    return;
  try {
    EventImpl ev(Event::EVENT_LOG, ERR_NO_ERROR,
                 static_cast<Event::Severity>(level), fac, buf);
    h->event_cb_->event_cb(ev);
  } catch (...) {
    h->pending_.store();
  }
}

inline int stats_trampoline(rd_kafka_t *, char *json, size_t json_len,
                            void *opaque) {
  HandleImpl *h = handle_of(opaque);
  try {
    std::string doc(json, json_len);
    EventImpl ev(Event::EVENT_STATS, ERR_NO_ERROR, Event::EVENT_SEVERITY_INFO,
                 NULL, doc.c_str());
    h->event_cb_->event_cb(ev);
  } catch (...) {
    h->pending_.store();
  }
  return 0; /* the C library frees json */
}

inline void throttle_trampoline(rd_kafka_t *, const char *broker_name,
                                int32_t broker_id, int throttle_time_ms,
                                void *opaque) {
  HandleImpl *h = handle_of(opaque);
  try {
    EventImpl ev(Event::EVENT_THROTTLE, ERR_NO_ERROR,
                 Event::EVENT_SEVERITY_INFO, NULL, broker_name);
    ev.throttle_time_ = throttle_time_ms;
    ev.broker_name_ = str_or_empty(broker_name);
    ev.broker_id_ = broker_id;
    h->event_cb_->event_cb(ev);
  } catch (...) {
    h->pending_.store();
  }
}

inline void rebalance_trampoline(rd_kafka_t *, rd_kafka_resp_err_t err,
                                 rd_kafka_topic_partition_list_t *partitions,
                                 void *opaque) {
  HandleImpl *h = handle_of(opaque);
  std::vector<TopicPartition *> tps;
  try {
    tps = from_c_list(partitions);
    h->rebalance_cb_->rebalance_cb(h->consumer_, code(err), tps);
  } catch (...) {
    h->pending_.store();
  }
  destroy_partitions(tps);
}

inline void offset_commit_trampoline(rd_kafka_t *, rd_kafka_resp_err_t err,
                                     rd_kafka_topic_partition_list_t *offsets,
                                     void *opaque) {
  OffsetCommitCb *cb = handle_of(opaque)->offset_commit_cb_;
  if (cb == NULL)
    return;
  std::vector<TopicPartition *> tps;
  try {
    tps = from_c_list(offsets);
    cb->offset_commit_cb(code(err), tps);
  } catch (...) {
    handle_of(opaque)->pending_.store();
  }
  destroy_partitions(tps);
}

/* commitSync(..., OffsetCommitCb *): the callback object travels as the
 * commit's own opaque; the handle is found through rd_kafka_opaque(). */
inline void commit_queue_trampoline(rd_kafka_t *rk, rd_kafka_resp_err_t err,
                                    rd_kafka_topic_partition_list_t *offsets,
                                    void *commit_opaque) {
  OffsetCommitCb *cb = static_cast<OffsetCommitCb *>(commit_opaque);
  std::vector<TopicPartition *> tps;
  try {
    tps = from_c_list(offsets);
    cb->offset_commit_cb(code(err), tps);
  } catch (...) {
    handle_of(rd_kafka_opaque(rk))->pending_.store();
  }
  destroy_partitions(tps);
}

inline void consume_trampoline(rd_kafka_message_t *rkmessage, void *opaque) {
  HandleImpl *h = handle_of(opaque);
  try {
    MessageImpl msg(rkmessage, false);
    h->consume_cb_->consume_cb(msg, opaque);
  } catch (...) {
    h->pending_.store();
  }
}

inline void oauthbearer_trampoline(rd_kafka_t *, const char *config,
                                   void *opaque) {
  HandleImpl *h = handle_of(opaque);
  try {
    h->oauth_cb_->oauthbearer_token_refresh_cb(h, str_or_empty(config));
  } catch (...) {
    h->pending_.store();
  }
}

inline int socket_trampoline(int domain, int type, int protocol, void *opaque) {
  HandleImpl *h = handle_of(opaque);
  try {
    return h->socket_cb_->socket_cb(domain, type, protocol);
  } catch (...) {
    h->pending_.store();
    return -1;
  }
}

inline int open_trampoline(const char *path, int flags, mode_t mode,
                           void *opaque) {
  HandleImpl *h = handle_of(opaque);
  try {
    return h->open_cb_->open_cb(str_or_empty(path), flags,
                                static_cast<int>(mode));
  } catch (...) {
    h->pending_.store();
    return -1;
  }
}

inline int ssl_verify_trampoline(rd_kafka_t *, const char *broker_name,
                                 int32_t broker_id, int *x509_error, int depth,
                                 const char *buf, size_t size, char *errstr,
                                 size_t errstr_size, void *opaque) {
  HandleImpl *h = handle_of(opaque);
  std::string reason;
  bool ok = false;
  try {
    ok = h->ssl_verify_cb_->ssl_cert_verify_cb(str_or_empty(broker_name),
                                               broker_id, x509_error, depth,
                                               buf, size, reason);
  } catch (...) {
    h->pending_.store();
    reason = "certificate verification callback threw an exception";
    ok = false;
  }
  if (!ok && errstr != NULL && errstr_size > 0) {
    std::strncpy(errstr, reason.c_str(), errstr_size - 1);
    errstr[errstr_size - 1] = '\0';
  }
  return ok ? 1 : 0;
}

inline int32_t partitioner_trampoline(const rd_kafka_topic_t *rkt,
                                      const void *keydata, size_t keylen,
                                      int32_t partition_cnt, void *rkt_opaque,
                                      void *msg_opaque) {
  TopicOpaque *o = static_cast<TopicOpaque *>(rkt_opaque);
  if (o == NULL)
    return -1;
  try {
    TopicView view(const_cast<rd_kafka_topic_t *>(rkt));
    const Topic *topic = o->topic != NULL ? o->topic : &view;
    if (o->partitioner_kp != NULL)
      return o->partitioner_kp->partitioner_cb(topic, keydata, keylen,
                                               partition_cnt, msg_opaque);
    if (o->partitioner != NULL) {
      if (keydata == NULL)
        return o->partitioner->partitioner_cb(topic, NULL, partition_cnt,
                                              msg_opaque);
      std::string key(static_cast<const char *>(keydata), keylen);
      return o->partitioner->partitioner_cb(topic, &key, partition_cnt,
                                            msg_opaque);
    }
  } catch (...) {
    if (o->pending != NULL)
      o->pending->store();
  }
  return -1;
}

inline bool HandleImpl::init(rd_kafka_type_t type, const Conf *conf,
                             std::string &errstr) {
  const ConfImpl *c = dynamic_cast<const ConfImpl *>(conf);
  if (conf != NULL && (c == NULL || c->conf_ == NULL)) {
    errstr = "Requires an RdKafka::Conf::CONF_GLOBAL object";
    return false;
  }
  rd_kafka_conf_t *cconf = c != NULL ? rd_kafka_conf_dup(c->conf_)
                                     : rd_kafka_conf_new();
  if (cconf == NULL) {
    errstr = "cannot copy the configuration";
    return false;
  }
  if (c != NULL) {
    dr_cb_ = c->dr_cb_;
    oauth_cb_ = c->oauth_cb_;
    event_cb_ = c->event_cb_;
    socket_cb_ = c->socket_cb_;
    open_cb_ = c->open_cb_;
    rebalance_cb_ = c->rebalance_cb_;
    offset_commit_cb_ = c->offset_commit_cb_;
    ssl_verify_cb_ = c->ssl_verify_cb_;
    consume_cb_ = c->consume_cb_;
    default_topic_ = c->default_topic_;
  }
  default_topic_.pending = &pending_;
  rd_kafka_conf_set_opaque(cconf, this);
  /* The copied default topic conf still points at the Conf object, which
   * the application may delete: point it at this handle instead. */
  rd_kafka_topic_conf_t *tconf = rd_kafka_conf_get_default_topic_conf(cconf);
  if (tconf != NULL &&
      (default_topic_.partitioner != NULL || default_topic_.partitioner_kp != NULL))
    rd_kafka_topic_conf_set_opaque(tconf, &default_topic_);
  if (dr_cb_ != NULL)
    rd_kafka_conf_set_dr_msg_cb(cconf, dr_msg_trampoline);
  if (event_cb_ != NULL) {
    rd_kafka_conf_set_error_cb(cconf, error_trampoline);
    rd_kafka_conf_set_log_cb(cconf, log_trampoline);
    rd_kafka_conf_set_stats_cb(cconf, stats_trampoline);
    rd_kafka_conf_set_throttle_cb(cconf, throttle_trampoline);
  }
  if (rebalance_cb_ != NULL)
    rd_kafka_conf_set_rebalance_cb(cconf, rebalance_trampoline);
  if (offset_commit_cb_ != NULL)
    rd_kafka_conf_set_offset_commit_cb(cconf, offset_commit_trampoline);
  if (consume_cb_ != NULL)
    rd_kafka_conf_set_consume_cb(cconf, consume_trampoline);
  if (oauth_cb_ != NULL)
    rd_kafka_conf_set_oauthbearer_token_refresh_cb(cconf,
                                                   oauthbearer_trampoline);
  if (socket_cb_ != NULL)
    rd_kafka_conf_set_socket_cb(cconf, socket_trampoline);
  if (open_cb_ != NULL)
    rd_kafka_conf_set_open_cb(cconf, open_trampoline);
  if (ssl_verify_cb_ != NULL &&
      rd_kafka_conf_set_ssl_cert_verify_cb(cconf, ssl_verify_trampoline) !=
          RD_KAFKA_CONF_OK) {
    rd_kafka_conf_destroy(cconf);
    errstr = "ssl_cert_verify_cb is not supported by this build";
    return false;
  }
  char buf[ERRSTR_SIZE] = "";
  rk_ = rd_kafka_new(type, cconf, buf, sizeof(buf));
  if (rk_ == NULL) {
    /* rd_kafka_new() leaves the configuration with the caller on error. */
    rd_kafka_conf_destroy(cconf);
    errstr = buf;
    return false;
  }
  return true;
}

class ProducerImpl : public Producer, public HandleImpl {
 public:
  ~ProducerImpl() { destroy_handle(); }

  ErrorCode produce(Topic *topic, int32_t partition, int msgflags,
                    void *payload, size_t len, const std::string *key,
                    void *msg_opaque) {
    return produce(topic, partition, msgflags, payload, len,
                   key != NULL ? key->data() : NULL,
                   key != NULL ? key->size() : 0, msg_opaque);
  }
  ErrorCode produce(Topic *topic, int32_t partition, int msgflags,
                    void *payload, size_t len, const void *key, size_t key_len,
                    void *msg_opaque) {
    if (topic == NULL)
      return ERR__INVALID_ARG;
    if (rd_kafka_produce(topic->c_ptr(), partition, msgflags, payload, len, key,
                         key_len, msg_opaque) == -1)
      return code(rd_kafka_last_error());
    return ERR_NO_ERROR;
  }
  ErrorCode produce(const std::string topic_name, int32_t partition,
                    int msgflags, void *payload, size_t len, const void *key,
                    size_t key_len, int64_t timestamp, void *msg_opaque) {
    return produce_va(topic_name, partition, msgflags, payload, len, key,
                      key_len, timestamp, NULL, msg_opaque);
  }
  ErrorCode produce(const std::string topic_name, int32_t partition,
                    int msgflags, void *payload, size_t len, const void *key,
                    size_t key_len, int64_t timestamp, Headers *headers,
                    void *msg_opaque) {
    if (headers == NULL)
      return produce_va(topic_name, partition, msgflags, payload, len, key,
                        key_len, timestamp, NULL, msg_opaque);
    /* The C library takes the C headers on success. Ours are handed over;
     * another Headers implementation is copied into C headers first. */
    HeadersImpl *impl = dynamic_cast<HeadersImpl *>(headers);
    rd_kafka_headers_t *hdrs =
        impl != NULL ? impl->c_headers() : copy_headers(*headers);
    ErrorCode err = produce_va(topic_name, partition, msgflags, payload, len,
                               key, key_len, timestamp, hdrs, msg_opaque);
    if (err != ERR_NO_ERROR) {
      if (impl == NULL)
        rd_kafka_headers_destroy(hdrs);
      return err;
    }
    if (impl != NULL)
      impl->release();
    delete headers;
    return ERR_NO_ERROR;
  }
  ErrorCode produce(Topic *topic, int32_t partition,
                    const std::vector<char> *payload,
                    const std::vector<char> *key, void *msg_opaque) {
    void *p = payload != NULL && !payload->empty()
                  ? const_cast<char *>(&(*payload)[0])
                  : NULL;
    const void *k = key != NULL && !key->empty() ? &(*key)[0] : NULL;
    return produce(topic, partition, RD_KAFKA_MSG_F_COPY, p,
                   payload != NULL ? payload->size() : 0, k,
                   key != NULL ? key->size() : 0, msg_opaque);
  }
  ErrorCode flush(int timeout_ms) {
    rd_kafka_resp_err_t err = rd_kafka_flush(rk_, timeout_ms);
    pending_.rethrow();
    return code(err);
  }
  ErrorCode purge(int purge_flags) {
    return code(rd_kafka_purge(rk_, purge_flags));
  }
  Error *init_transactions(int timeout_ms) {
    if (!linked(&rd_kafka_init_transactions))
      return not_implemented_error();
    return wrap_error(rd_kafka_init_transactions(rk_, timeout_ms));
  }
  Error *begin_transaction() {
    if (!linked(&rd_kafka_begin_transaction))
      return not_implemented_error();
    return wrap_error(rd_kafka_begin_transaction(rk_));
  }
  Error *send_offsets_to_transaction(
      const std::vector<TopicPartition *> &offsets,
      const ConsumerGroupMetadata *group_metadata, int timeout_ms) {
    if (!linked(&rd_kafka_send_offsets_to_transaction) ||
        !partition_lists_linked())
      return not_implemented_error();
    const ConsumerGroupMetadataImpl *md =
        dynamic_cast<const ConsumerGroupMetadataImpl *>(group_metadata);
    CPartitionList list(to_c_list(offsets));
    return wrap_error(rd_kafka_send_offsets_to_transaction(
        rk_, list.get(), md != NULL ? md->c_ptr() : NULL, timeout_ms));
  }
  Error *commit_transaction(int timeout_ms) {
    if (!linked(&rd_kafka_commit_transaction))
      return not_implemented_error();
    Error *e = wrap_error(rd_kafka_commit_transaction(rk_, timeout_ms));
    rethrow_keeping(e);
    return e;
  }
  Error *abort_transaction(int timeout_ms) {
    if (!linked(&rd_kafka_abort_transaction))
      return not_implemented_error();
    Error *e = wrap_error(rd_kafka_abort_transaction(rk_, timeout_ms));
    rethrow_keeping(e);
    return e;
  }

 private:
  /* Committing and aborting serve delivery reports. */
  void rethrow_keeping(Error *e) {
    try {
      pending_.rethrow();
    } catch (...) {
      delete e;
      throw;
    }
  }

  ErrorCode produce_va(const std::string &topic_name, int32_t partition,
                       int msgflags, void *payload, size_t len,
                       const void *key, size_t key_len, int64_t timestamp,
                       rd_kafka_headers_t *hdrs, void *msg_opaque) {
    rd_kafka_vu_t vu[8];
    size_t n = 0;
    vu[n].vtype = RD_KAFKA_VTYPE_TOPIC;
    vu[n++].u.cstr = topic_name.c_str();
    vu[n].vtype = RD_KAFKA_VTYPE_PARTITION;
    vu[n++].u.i32 = partition;
    vu[n].vtype = RD_KAFKA_VTYPE_MSGFLAGS;
    vu[n++].u.i = msgflags;
    vu[n].vtype = RD_KAFKA_VTYPE_VALUE;
    vu[n].u.mem.ptr = payload;
    vu[n++].u.mem.size = len;
    vu[n].vtype = RD_KAFKA_VTYPE_KEY;
    vu[n].u.mem.ptr = const_cast<void *>(key);
    vu[n++].u.mem.size = key_len;
    vu[n].vtype = RD_KAFKA_VTYPE_TIMESTAMP;
    vu[n++].u.i64 = timestamp;
    vu[n].vtype = RD_KAFKA_VTYPE_OPAQUE;
    vu[n++].u.ptr = msg_opaque;
    if (hdrs != NULL) {
      vu[n].vtype = RD_KAFKA_VTYPE_HEADERS;
      vu[n++].u.headers = hdrs;
    }
    return consume_error(rd_kafka_produceva(rk_, vu, n));
  }

  static rd_kafka_headers_t *copy_headers(const Headers &headers) {
    std::vector<Headers::Header> all = headers.get_all();
    rd_kafka_headers_t *hdrs = rd_kafka_headers_new(all.size());
    for (size_t i = 0; i < all.size(); i++) {
      std::string key = all[i].key();
      rd_kafka_header_add(hdrs, key.data(), static_cast<ssize_t>(key.size()),
                          all[i].value(),
                          static_cast<ssize_t>(all[i].value_size()));
    }
    return hdrs;
  }
};

/* Every consumer function this class calls; KafkaConsumer::create checks
 * them once so no method needs to. */
inline bool consumer_api_linked() {
  return partition_lists_linked() && linked(&rd_kafka_poll_set_consumer) &&
         linked(&rd_kafka_subscribe) && linked(&rd_kafka_unsubscribe) &&
         linked(&rd_kafka_subscription) && linked(&rd_kafka_assign) &&
         linked(&rd_kafka_assignment) && linked(&rd_kafka_incremental_assign) &&
         linked(&rd_kafka_incremental_unassign) &&
         linked(&rd_kafka_consumer_poll) && linked(&rd_kafka_commit) &&
         linked(&rd_kafka_commit_message) && linked(&rd_kafka_commit_queue) &&
         linked(&rd_kafka_committed) && linked(&rd_kafka_position) &&
         linked(&rd_kafka_consumer_close) &&
         linked(&rd_kafka_consumer_closed) &&
         linked(&rd_kafka_seek_partitions) && linked(&rd_kafka_offsets_store) &&
         linked(&rd_kafka_consumer_group_metadata) &&
         linked(&rd_kafka_consumer_group_metadata_destroy) &&
         linked(&rd_kafka_assignment_lost) &&
         linked(&rd_kafka_rebalance_protocol);
}

class KafkaConsumerImpl : public KafkaConsumer, public HandleImpl {
 public:
  KafkaConsumerImpl() { consumer_ = this; }
  ~KafkaConsumerImpl() { destroy_handle(); }

  ErrorCode assignment(std::vector<TopicPartition *> &partitions) {
    rd_kafka_topic_partition_list_t *c = NULL;
    rd_kafka_resp_err_t err = rd_kafka_assignment(rk_, &c);
    CPartitionList list(c);
    if (err == RD_KAFKA_RESP_ERR_NO_ERROR)
      partitions = from_c_list(c);
    return code(err);
  }
  ErrorCode subscription(std::vector<std::string> &topics) {
    rd_kafka_topic_partition_list_t *c = NULL;
    rd_kafka_resp_err_t err = rd_kafka_subscription(rk_, &c);
    CPartitionList list(c);
    if (err == RD_KAFKA_RESP_ERR_NO_ERROR && c != NULL) {
      topics.clear();
      for (int i = 0; i < c->cnt; i++)
        topics.push_back(str_or_empty(c->elems[i].topic));
    }
    return code(err);
  }
  ErrorCode subscribe(const std::vector<std::string> &topics) {
    CPartitionList list(
        rd_kafka_topic_partition_list_new(static_cast<int>(topics.size())));
    if (list.get() == NULL)
      throw std::bad_alloc();
    for (size_t i = 0; i < topics.size(); i++)
      rd_kafka_topic_partition_list_add(list.get(), topics[i].c_str(), -1);
    return code(rd_kafka_subscribe(rk_, list.get()));
  }
  ErrorCode unsubscribe() { return code(rd_kafka_unsubscribe(rk_)); }
  ErrorCode assign(const std::vector<TopicPartition *> &partitions) {
    CPartitionList list(to_c_list(partitions));
    return code(rd_kafka_assign(rk_, list.get()));
  }
  ErrorCode unassign() { return code(rd_kafka_assign(rk_, NULL)); }
  Message *consume(int timeout_ms) {
    rd_kafka_message_t *m = rd_kafka_consumer_poll(rk_, timeout_ms);
    Message *msg = wrap_consumed(m);
    try {
      pending_.rethrow();
    } catch (...) {
      delete msg;
      throw;
    }
    return msg;
  }
  ErrorCode commitSync() { return commit(NULL, false); }
  ErrorCode commitAsync() { return commit(NULL, true); }
  ErrorCode commitSync(Message *message) {
    return commit_message(message, false);
  }
  ErrorCode commitAsync(Message *message) {
    return commit_message(message, true);
  }
  ErrorCode commitSync(std::vector<TopicPartition *> &offsets) {
    CPartitionList list(to_c_list(offsets));
    ErrorCode err = commit(list.get(), false);
    update_from_c_list(offsets, list.get());
    return err;
  }
  ErrorCode commitAsync(const std::vector<TopicPartition *> &offsets) {
    CPartitionList list(to_c_list(offsets));
    return commit(list.get(), true);
  }
  ErrorCode commitSync(OffsetCommitCb *offset_commit_cb) {
    return commit_with_cb(NULL, offset_commit_cb);
  }
  ErrorCode commitSync(std::vector<TopicPartition *> &offsets,
                       OffsetCommitCb *offset_commit_cb) {
    CPartitionList list(to_c_list(offsets));
    ErrorCode err = commit_with_cb(list.get(), offset_commit_cb);
    update_from_c_list(offsets, list.get());
    return err;
  }
  ErrorCode committed(std::vector<TopicPartition *> &partitions,
                      int timeout_ms) {
    CPartitionList list(to_c_list(partitions));
    rd_kafka_resp_err_t err = rd_kafka_committed(rk_, list.get(), timeout_ms);
    update_from_c_list(partitions, list.get());
    pending_.rethrow();
    return code(err);
  }
  ErrorCode position(std::vector<TopicPartition *> &partitions) {
    return partitions_call(rd_kafka_position, partitions);
  }
  ErrorCode close() {
    rd_kafka_resp_err_t err = rd_kafka_consumer_close(rk_);
    pending_.rethrow();
    return code(err);
  }
  ErrorCode seek(const TopicPartition &partition, int timeout_ms) {
    CPartitionList list(rd_kafka_topic_partition_list_new(1));
    if (list.get() == NULL)
      throw std::bad_alloc();
    rd_kafka_topic_partition_t *e = rd_kafka_topic_partition_list_add(
        list.get(), partition.topic().c_str(), partition.partition());
    if (e == NULL)
      return ERR__INVALID_ARG;
    e->offset = partition.offset();
    rd_kafka_error_t *error =
        rd_kafka_seek_partitions(rk_, list.get(), timeout_ms);
    if (error != NULL)
      return consume_error(error);
    return code(list.get()->elems[0].err);
  }
  ErrorCode offsets_store(std::vector<TopicPartition *> &offsets) {
    return partitions_call(rd_kafka_offsets_store, offsets);
  }
  ConsumerGroupMetadata *groupMetadata() {
    rd_kafka_consumer_group_metadata_t *md =
        rd_kafka_consumer_group_metadata(rk_);
    return md != NULL ? new ConsumerGroupMetadataImpl(md) : NULL;
  }
  bool assignment_lost() { return rd_kafka_assignment_lost(rk_) != 0; }
  std::string rebalance_protocol() {
    return str_or_empty(rd_kafka_rebalance_protocol(rk_));
  }
  Error *incremental_assign(const std::vector<TopicPartition *> &partitions) {
    CPartitionList list(to_c_list(partitions));
    return wrap_error(rd_kafka_incremental_assign(rk_, list.get()));
  }
  Error *incremental_unassign(const std::vector<TopicPartition *> &partitions) {
    CPartitionList list(to_c_list(partitions));
    return wrap_error(rd_kafka_incremental_unassign(rk_, list.get()));
  }
  Error *close(Queue *queue) {
    if (!linked(&rd_kafka_consumer_close_queue))
      return not_implemented_error();
    QueueImpl *q = dynamic_cast<QueueImpl *>(queue);
    if (q == NULL)
      return new ErrorImpl(rd_kafka_error_new(RD_KAFKA_RESP_ERR__INVALID_ARG,
                                              "%s", "queue is required"));
    return wrap_error(rd_kafka_consumer_close_queue(rk_, q->c_queue()));
  }
  bool closed() { return rd_kafka_consumer_closed(rk_) != 0; }

 private:
  ErrorCode commit(const rd_kafka_topic_partition_list_t *offsets,
                   bool async) {
    rd_kafka_resp_err_t err = rd_kafka_commit(rk_, offsets, async ? 1 : 0);
    if (!async)
      pending_.rethrow();
    return code(err);
  }
  ErrorCode commit_message(Message *message, bool async) {
    if (message == NULL)
      return ERR__INVALID_ARG;
    rd_kafka_resp_err_t err =
        rd_kafka_commit_message(rk_, message->c_ptr(), async ? 1 : 0);
    if (!async)
      pending_.rethrow();
    return code(err);
  }
  /* A NULL queue makes the C call wait and serve the callback itself. */
  ErrorCode commit_with_cb(const rd_kafka_topic_partition_list_t *offsets,
                           OffsetCommitCb *cb) {
    rd_kafka_resp_err_t err = rd_kafka_commit_queue(
        rk_, offsets, NULL, cb != NULL ? commit_queue_trampoline : NULL, cb);
    pending_.rethrow();
    return code(err);
  }
};

/* What a consume_callback() trampoline needs: the application's callback
 * object and opaque, the handle whose pending exception it fills. */
struct ConsumeCallbackContext {
  ConsumeCb *cb;
  void *opaque;
  HandleImpl *handle;
};

inline void legacy_consume_trampoline(rd_kafka_message_t *rkmessage,
                                      void *context) {
  ConsumeCallbackContext *ctx = static_cast<ConsumeCallbackContext *>(context);
  try {
    MessageImpl msg(rkmessage, false);
    ctx->cb->consume_cb(msg, ctx->opaque);
  } catch (...) {
    ctx->handle->pending_.store();
  }
}

/* -1 from a legacy C call: the error it left behind. */
inline ErrorCode legacy_result(int r) {
  return r == -1 ? code(rd_kafka_last_error()) : ERR_NO_ERROR;
}

class ConsumerImpl : public Consumer, public HandleImpl {
 public:
  ~ConsumerImpl() { destroy_handle(); }

  ErrorCode start(Topic *topic, int32_t partition, int64_t offset) {
    if (topic == NULL)
      return ERR__INVALID_ARG;
    return legacy_result(
        rd_kafka_consume_start(topic->c_ptr(), partition, offset));
  }
  ErrorCode start(Topic *topic, int32_t partition, int64_t offset,
                  Queue *queue) {
    QueueImpl *q = dynamic_cast<QueueImpl *>(queue);
    if (topic == NULL || q == NULL)
      return ERR__INVALID_ARG;
    return legacy_result(rd_kafka_consume_start_queue(
        topic->c_ptr(), partition, offset, q->c_queue()));
  }
  ErrorCode stop(Topic *topic, int32_t partition) {
    if (topic == NULL)
      return ERR__INVALID_ARG;
    return legacy_result(rd_kafka_consume_stop(topic->c_ptr(), partition));
  }
  ErrorCode seek(Topic *topic, int32_t partition, int64_t offset,
                 int timeout_ms) {
    if (topic == NULL)
      return ERR__INVALID_ARG;
    return code(rd_kafka_seek(topic->c_ptr(), partition, offset, timeout_ms));
  }
  /* Never NULL, as librdkafka's: a message carrying the error (the
   * timeout, or an unknown partition) when none arrived. */
  Message *consume(Topic *topic, int32_t partition, int timeout_ms) {
    if (topic == NULL)
      return new MessageImpl(ERR__INVALID_ARG);
    rd_kafka_message_t *m =
        rd_kafka_consume(topic->c_ptr(), partition, timeout_ms);
    if (m == NULL)
      return new MessageImpl(code(rd_kafka_last_error()));
    return new MessageImpl(m, true);
  }
  Message *consume(Queue *queue, int timeout_ms) {
    QueueImpl *q = dynamic_cast<QueueImpl *>(queue);
    if (q == NULL)
      return new MessageImpl(ERR__INVALID_ARG);
    return wrap_consumed(rd_kafka_consume_queue(q->c_queue(), timeout_ms));
  }
  int consume_callback(Topic *topic, int32_t partition, int timeout_ms,
                       ConsumeCb *consume_cb, void *opaque) {
    if (topic == NULL || consume_cb == NULL)
      return -1;
    ConsumeCallbackContext ctx = {consume_cb, opaque, this};
    int n = rd_kafka_consume_callback(topic->c_ptr(), partition, timeout_ms,
                                      legacy_consume_trampoline, &ctx);
    pending_.rethrow();
    return n;
  }
  int consume_callback(Queue *queue, int timeout_ms, ConsumeCb *consume_cb,
                       void *opaque) {
    QueueImpl *q = dynamic_cast<QueueImpl *>(queue);
    if (q == NULL || consume_cb == NULL)
      return -1;
    ConsumeCallbackContext ctx = {consume_cb, opaque, this};
    int n = rd_kafka_consume_callback_queue(q->c_queue(), timeout_ms,
                                            legacy_consume_trampoline, &ctx);
    pending_.rethrow();
    return n;
  }
};

}  // namespace detail

/* ---- Out-of-class definitions of the API's static functions. */

inline int version() { return rd_kafka_version(); }
inline std::string version_str() {
  return detail::str_or_empty(rd_kafka_version_str());
}
inline std::string get_debug_contexts() {
  if (!detail::linked(&rd_kafka_get_debug_contexts))
    return std::string();
  return detail::str_or_empty(rd_kafka_get_debug_contexts());
}
inline int wait_destroyed(int timeout_ms) {
  /* Without the C function there is nothing to wait for: ferrokafka's
   * rd_kafka_destroy() returns after its threads have ended. */
  return detail::linked(&rd_kafka_wait_destroyed)
             ? rd_kafka_wait_destroyed(timeout_ms)
             : 0;
}
inline void *mem_malloc(size_t size) {
  return detail::linked(&rd_kafka_mem_malloc) ? rd_kafka_mem_malloc(NULL, size)
                                              : std::malloc(size);
}
inline void mem_free(void *ptr) { rd_kafka_mem_free(NULL, ptr); }

inline std::string err2str(ErrorCode err) {
  return detail::str_or_empty(
      rd_kafka_err2str(static_cast<rd_kafka_resp_err_t>(err)));
}

inline Error *Error::create(ErrorCode code, const std::string *errstr) {
  rd_kafka_resp_err_t c = static_cast<rd_kafka_resp_err_t>(code);
  return new detail::ErrorImpl(
      errstr != NULL ? rd_kafka_error_new(c, "%s", errstr->c_str())
                     : rd_kafka_error_new(c, NULL));
}

inline Conf *Conf::create(ConfType type) { return new detail::ConfImpl(type); }

inline TopicPartition *TopicPartition::create(const std::string &topic,
                                              int partition) {
  return new detail::TopicPartitionImpl(topic, partition, -1001, ERR_NO_ERROR);
}
inline TopicPartition *TopicPartition::create(const std::string &topic,
                                              int partition, int64_t offset) {
  return new detail::TopicPartitionImpl(topic, partition, offset,
                                        ERR_NO_ERROR);
}
inline TopicPartition::~TopicPartition() {}
inline void TopicPartition::destroy(std::vector<TopicPartition *> &partitions) {
  detail::destroy_partitions(partitions);
}

inline Topic *Topic::create(Handle *base, const std::string &topic_str,
                            const Conf *conf, std::string &errstr) {
  if (base == NULL) {
    errstr = "A handle is required";
    return NULL;
  }
  const detail::ConfImpl *c = dynamic_cast<const detail::ConfImpl *>(conf);
  if (conf != NULL && (c == NULL || c->tconf_ == NULL)) {
    errstr = "Requires an RdKafka::Conf::CONF_TOPIC object";
    return NULL;
  }
  rd_kafka_t *rk = base->c_ptr();
  detail::HandleImpl *h = dynamic_cast<detail::HandleImpl *>(base);
  /* Without a conf the handle's default topic conf applies, partitioner
   * included. */
  rd_kafka_topic_conf_t *tconf = NULL;
  detail::TopicImpl *topic = new detail::TopicImpl();
  if (c != NULL) {
    tconf = rd_kafka_topic_conf_dup(c->tconf_);
    topic->opaque_.partitioner = c->topic_.partitioner;
    topic->opaque_.partitioner_kp = c->topic_.partitioner_kp;
  } else {
    rd_kafka_topic_conf_t *def = rd_kafka_conf_get_default_topic_conf(
        const_cast<rd_kafka_conf_t *>(rd_kafka_conf(rk)));
    tconf = def != NULL ? rd_kafka_topic_conf_dup(def) : rd_kafka_topic_conf_new();
    if (h != NULL) {
      topic->opaque_.partitioner = h->default_topic_.partitioner;
      topic->opaque_.partitioner_kp = h->default_topic_.partitioner_kp;
    }
  }
  if (tconf == NULL) {
    delete topic;
    errstr = "cannot copy the topic configuration";
    return NULL;
  }
  if (h != NULL)
    topic->opaque_.pending = &h->pending_;
  rd_kafka_topic_conf_set_opaque(tconf, &topic->opaque_);
  rd_kafka_topic_t *rkt = rd_kafka_topic_new(rk, topic_str.c_str(), tconf);
  if (rkt == NULL) {
    /* rd_kafka_topic_new() leaves the conf with the caller on error. */
    rd_kafka_topic_conf_destroy(tconf);
    delete topic;
    errstr = detail::str_or_empty(rd_kafka_err2str(rd_kafka_last_error()));
    return NULL;
  }
  topic->attach(rkt);
  return topic;
}
inline Topic::~Topic() {}

inline Headers::~Headers() {}
inline Headers *Headers::create() {
  return new detail::HeadersImpl(rd_kafka_headers_new(8), true);
}
inline Headers *Headers::create(const std::vector<Header> &headers) {
  Headers *h = new detail::HeadersImpl(rd_kafka_headers_new(headers.size()),
                                       true);
  for (size_t i = 0; i < headers.size(); i++)
    h->add(headers[i]);
  return h;
}

inline Message::~Message() {}

inline Queue *Queue::create(Handle *handle) {
  if (handle == NULL || !detail::linked(&rd_kafka_queue_new) ||
      !detail::queue_api_linked())
    return NULL;
  return detail::wrap_queue(rd_kafka_queue_new(handle->c_ptr()));
}
inline Queue::~Queue() {}

inline ConsumerGroupMetadata::~ConsumerGroupMetadata() {}

inline KafkaConsumer *KafkaConsumer::create(const Conf *conf,
                                            std::string &errstr) {
  if (!detail::consumer_api_linked()) {
    errstr = "this build of the C library has no KafkaConsumer support";
    return NULL;
  }
  std::string group;
  if (conf == NULL || conf->get("group.id", group) != Conf::CONF_OK ||
      group.empty()) {
    errstr = "\"group.id\" must be configured";
    return NULL;
  }
  detail::KafkaConsumerImpl *c = new detail::KafkaConsumerImpl();
  if (!c->init(RD_KAFKA_CONSUMER, conf, errstr)) {
    delete c;
    return NULL;
  }
  /* Messages of every assigned partition are served by consume(). */
  rd_kafka_poll_set_consumer(c->rk_);
  return c;
}
inline KafkaConsumer::~KafkaConsumer() {}

inline Consumer *Consumer::create(const Conf *conf, std::string &errstr) {
  detail::ConsumerImpl *c = new detail::ConsumerImpl();
  if (!c->init(RD_KAFKA_CONSUMER, conf, errstr)) {
    delete c;
    return NULL;
  }
  return c;
}
inline Consumer::~Consumer() {}
inline int64_t Consumer::OffsetTail(int64_t offset) {
  return RD_KAFKA_OFFSET_TAIL(offset);
}

inline Producer *Producer::create(const Conf *conf, std::string &errstr) {
  detail::ProducerImpl *p = new detail::ProducerImpl();
  if (!p->init(RD_KAFKA_PRODUCER, conf, errstr)) {
    delete p;
    return NULL;
  }
  return p;
}
inline Producer::~Producer() {}

inline BrokerMetadata::~BrokerMetadata() {}
inline PartitionMetadata::~PartitionMetadata() {}
inline TopicMetadata::~TopicMetadata() {}
inline Metadata::~Metadata() {}

}  // namespace RdKafka

#endif /* _RDKAFKACPP_H_ */
