/*
 * The group and ACL calls of the Admin API, and rd_kafka_list_groups, as an
 * application uses them, checking every answer against what Kafka gives.
 * Built against ferrokafka (the client under test) or Debian's librdkafka
 * 2.0.2 (then it judges our mock cluster).
 *
 * Usage: admin_groups_acls BOOTSTRAP TOPIC [offsets-only]
 *
 * TOPIC must exist with at least 2 partitions. "offsets-only" runs only the
 * group offsets calls on a group without members (what librdkafka 2.0.2's
 * mock cluster serves). Prints "version <rd_kafka_version_str()>", then
 * "OK <check>" or "FAIL <check>: <why>" per check and "DONE <failures>".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <librdkafka/rdkafka.h>

static int failures;
static const char *topic;
/* librdkafka 2.0.2's mock cannot list all of a group's offsets (OffsetFetch
 * with no topics): offsets-only mode names partitions 0 and 1. */
static int name_partitions;

static void check(const char *name, int ok, const char *why) {
        if (ok)
                printf("OK %s\n", name);
        else {
                failures++;
                printf("FAIL %s: %s\n", name, why ? why : "");
        }
        fflush(stdout);
}

/* Waits for the result event of type `type` on `q`. */
static rd_kafka_event_t *wait_result(rd_kafka_queue_t *q, rd_kafka_event_type_t type) {
        for (int i = 0; i < 600; i++) {
                rd_kafka_event_t *ev = rd_kafka_queue_poll(q, 100);
                if (!ev)
                        continue;
                if (rd_kafka_event_type(ev) == type)
                        return ev;
                rd_kafka_event_destroy(ev);
        }
        fprintf(stderr, "no result event of type %d\n", (int)type);
        exit(2);
}

static rd_kafka_AdminOptions_t *opts(rd_kafka_t *rk, rd_kafka_admin_op_t op) {
        char errstr[256];
        rd_kafka_AdminOptions_t *o = rd_kafka_AdminOptions_new(rk, op);
        rd_kafka_AdminOptions_set_request_timeout(o, 20000, errstr, sizeof(errstr));
        return o;
}

/* The error code of a group result's partition `p` of TOPIC, or -1. */
static int partition_err(const rd_kafka_topic_partition_list_t *l, int p, int64_t *offset) {
        for (int i = 0; l && i < l->cnt; i++)
                if (!strcmp(l->elems[i].topic, topic) && l->elems[i].partition == p) {
                        if (offset)
                                *offset = l->elems[i].offset;
                        return l->elems[i].err;
                }
        return -1;
}

static const rd_kafka_group_result_t *one_group(rd_kafka_event_t *ev, rd_kafka_event_type_t type) {
        size_t cnt = 0;
        const rd_kafka_group_result_t **gr = NULL;
        if (type == RD_KAFKA_EVENT_ALTERCONSUMERGROUPOFFSETS_RESULT)
                gr = rd_kafka_AlterConsumerGroupOffsets_result_groups(
                    rd_kafka_event_AlterConsumerGroupOffsets_result(ev), &cnt);
        else if (type == RD_KAFKA_EVENT_LISTCONSUMERGROUPOFFSETS_RESULT)
                gr = rd_kafka_ListConsumerGroupOffsets_result_groups(
                    rd_kafka_event_ListConsumerGroupOffsets_result(ev), &cnt);
        else if (type == RD_KAFKA_EVENT_DELETECONSUMERGROUPOFFSETS_RESULT)
                gr = rd_kafka_DeleteConsumerGroupOffsets_result_groups(
                    rd_kafka_event_DeleteConsumerGroupOffsets_result(ev), &cnt);
        return cnt == 1 ? gr[0] : NULL;
}

static rd_kafka_event_t *alter_offsets(rd_kafka_t *rk, rd_kafka_queue_t *q, const char *group,
                                       int64_t o0, int64_t o1) {
        rd_kafka_topic_partition_list_t *l = rd_kafka_topic_partition_list_new(2);
        rd_kafka_topic_partition_list_add(l, topic, 0)->offset = o0;
        rd_kafka_topic_partition_list_add(l, topic, 1)->offset = o1;
        rd_kafka_AlterConsumerGroupOffsets_t *a = rd_kafka_AlterConsumerGroupOffsets_new(group, l);
        rd_kafka_topic_partition_list_destroy(l);
        rd_kafka_AdminOptions_t *o = opts(rk, RD_KAFKA_ADMIN_OP_ALTERCONSUMERGROUPOFFSETS);
        rd_kafka_AlterConsumerGroupOffsets(rk, &a, 1, o, q);
        rd_kafka_AdminOptions_destroy(o);
        rd_kafka_AlterConsumerGroupOffsets_destroy(a);
        return wait_result(q, RD_KAFKA_EVENT_ALTERCONSUMERGROUPOFFSETS_RESULT);
}

static rd_kafka_event_t *list_offsets(rd_kafka_t *rk, rd_kafka_queue_t *q, const char *group) {
        rd_kafka_topic_partition_list_t *parts = NULL;
        if (name_partitions) {
                parts = rd_kafka_topic_partition_list_new(2);
                rd_kafka_topic_partition_list_add(parts, topic, 0);
                rd_kafka_topic_partition_list_add(parts, topic, 1);
        }
        rd_kafka_ListConsumerGroupOffsets_t *l = rd_kafka_ListConsumerGroupOffsets_new(group, parts);
        if (parts)
                rd_kafka_topic_partition_list_destroy(parts);
        rd_kafka_AdminOptions_t *o = opts(rk, RD_KAFKA_ADMIN_OP_LISTCONSUMERGROUPOFFSETS);
        rd_kafka_error_t *e = rd_kafka_AdminOptions_set_require_stable_offsets(o, 1);
        if (e)
                rd_kafka_error_destroy(e);
        rd_kafka_ListConsumerGroupOffsets(rk, &l, 1, o, q);
        rd_kafka_AdminOptions_destroy(o);
        rd_kafka_ListConsumerGroupOffsets_destroy(l);
        return wait_result(q, RD_KAFKA_EVENT_LISTCONSUMERGROUPOFFSETS_RESULT);
}

static void offsets_checks(rd_kafka_t *rk, rd_kafka_queue_t *q) {
        char why[256];
        int64_t off0 = 0, off1 = 0;
        rd_kafka_event_t *ev = alter_offsets(rk, q, "c-empty", 5, 7);
        const rd_kafka_group_result_t *g = one_group(ev, RD_KAFKA_EVENT_ALTERCONSUMERGROUPOFFSETS_RESULT);
        const rd_kafka_topic_partition_list_t *p = g ? rd_kafka_group_result_partitions(g) : NULL;
        snprintf(why, sizeof(why), "event err %s", rd_kafka_err2name(rd_kafka_event_error(ev)));
        check("alter_offsets_empty_group",
              g && !rd_kafka_group_result_error(g) && partition_err(p, 0, NULL) == 0 &&
                  partition_err(p, 1, NULL) == 0 && !strcmp(rd_kafka_group_result_name(g), "c-empty"),
              why);
        rd_kafka_event_destroy(ev);

        ev = list_offsets(rk, q, "c-empty");
        g = one_group(ev, RD_KAFKA_EVENT_LISTCONSUMERGROUPOFFSETS_RESULT);
        p = g ? rd_kafka_group_result_partitions(g) : NULL;
        int ok = g && partition_err(p, 0, &off0) == 0 && partition_err(p, 1, &off1) == 0;
        snprintf(why, sizeof(why), "offsets %lld %lld", (long long)off0, (long long)off1);
        check("list_offsets_all", ok && off0 == 5 && off1 == 7, why);
        rd_kafka_event_destroy(ev);

        /* Exactly one group per call, as librdkafka checks locally. */
        rd_kafka_ListConsumerGroupOffsets_t *two[2] = {
            rd_kafka_ListConsumerGroupOffsets_new("a", NULL),
            rd_kafka_ListConsumerGroupOffsets_new("b", NULL)};
        rd_kafka_ListConsumerGroupOffsets(rk, two, 2, NULL, q);
        rd_kafka_ListConsumerGroupOffsets_destroy_array(two, 2);
        ev = wait_result(q, RD_KAFKA_EVENT_LISTCONSUMERGROUPOFFSETS_RESULT);
        check("list_offsets_two_groups_refused",
              rd_kafka_event_error(ev) == RD_KAFKA_RESP_ERR__INVALID_ARG,
              rd_kafka_event_error_string(ev));
        rd_kafka_event_destroy(ev);
}

static void group_checks(rd_kafka_t *rk, rd_kafka_queue_t *q) {
        char why[512];
        rd_kafka_event_t *ev;

        /* A commit from outside a group with members: UNKNOWN_MEMBER_ID. */
        ev = alter_offsets(rk, q, "c-active", 1, 1);
        const rd_kafka_group_result_t *g = one_group(ev, RD_KAFKA_EVENT_ALTERCONSUMERGROUPOFFSETS_RESULT);
        int e0 = g ? partition_err(rd_kafka_group_result_partitions(g), 0, NULL) : -2;
        snprintf(why, sizeof(why), "partition 0 err %d", e0);
        check("alter_offsets_active_group_refused", e0 == RD_KAFKA_RESP_ERR_UNKNOWN_MEMBER_ID, why);
        rd_kafka_event_destroy(ev);

        /* ListConsumerGroups, all and Empty only. */
        for (int filtered = 0; filtered < 2; filtered++) {
                rd_kafka_AdminOptions_t *o = opts(rk, RD_KAFKA_ADMIN_OP_LISTCONSUMERGROUPS);
                if (filtered) {
                        rd_kafka_consumer_group_state_t s = RD_KAFKA_CONSUMER_GROUP_STATE_EMPTY;
                        rd_kafka_error_t *e = rd_kafka_AdminOptions_set_match_consumer_group_states(o, &s, 1);
                        if (e)
                                rd_kafka_error_destroy(e);
                }
                rd_kafka_ListConsumerGroups(rk, o, q);
                rd_kafka_AdminOptions_destroy(o);
                ev = wait_result(q, RD_KAFKA_EVENT_LISTCONSUMERGROUPS_RESULT);
                const rd_kafka_ListConsumerGroups_result_t *r = rd_kafka_event_ListConsumerGroups_result(ev);
                size_t n = 0, nerr = 0;
                const rd_kafka_ConsumerGroupListing_t **l = rd_kafka_ListConsumerGroups_result_valid(r, &n);
                rd_kafka_ListConsumerGroups_result_errors(r, &nerr);
                int active = 0, empty = 0;
                why[0] = 0;
                for (size_t i = 0; i < n; i++) {
                        const char *id = rd_kafka_ConsumerGroupListing_group_id(l[i]);
                        int st = rd_kafka_ConsumerGroupListing_state(l[i]);
                        int simple = rd_kafka_ConsumerGroupListing_is_simple_consumer_group(l[i]);
                        snprintf(why + strlen(why), sizeof(why) - strlen(why), "%s:%s:%d ", id,
                                 rd_kafka_consumer_group_state_name(st), simple);
                        if (!strcmp(id, "c-active"))
                                active = st == RD_KAFKA_CONSUMER_GROUP_STATE_STABLE && !simple;
                        if (!strcmp(id, "c-empty"))
                                empty = st == RD_KAFKA_CONSUMER_GROUP_STATE_EMPTY && simple;
                }
                if (filtered)
                        check("list_groups_states_filter", empty && n == 1 && nerr == 0, why);
                else
                        check("list_groups", active && empty && nerr == 0, why);
                rd_kafka_event_destroy(ev);
        }

        /* DescribeConsumerGroups. */
        const char *names[] = {"c-active", "c-unknown"};
        rd_kafka_AdminOptions_t *o = opts(rk, RD_KAFKA_ADMIN_OP_DESCRIBECONSUMERGROUPS);
        rd_kafka_DescribeConsumerGroups(rk, names, 2, o, q);
        rd_kafka_AdminOptions_destroy(o);
        ev = wait_result(q, RD_KAFKA_EVENT_DESCRIBECONSUMERGROUPS_RESULT);
        size_t n = 0;
        const rd_kafka_ConsumerGroupDescription_t **d =
            rd_kafka_DescribeConsumerGroups_result_groups(rd_kafka_event_DescribeConsumerGroups_result(ev), &n);
        int ok = n == 2;
        if (ok) {
                const rd_kafka_MemberDescription_t *m = rd_kafka_ConsumerGroupDescription_member(d[0], 0);
                const rd_kafka_topic_partition_list_t *a =
                    m ? rd_kafka_MemberAssignment_partitions(rd_kafka_MemberDescription_assignment(m)) : NULL;
                const rd_kafka_Node_t *c = rd_kafka_ConsumerGroupDescription_coordinator(d[0]);
                snprintf(why, sizeof(why), "%s state=%d assignor=%s members=%zu client=%s host=%s assigned=%d coord=%d",
                         rd_kafka_ConsumerGroupDescription_group_id(d[0]),
                         rd_kafka_ConsumerGroupDescription_state(d[0]),
                         rd_kafka_ConsumerGroupDescription_partition_assignor(d[0]),
                         rd_kafka_ConsumerGroupDescription_member_count(d[0]),
                         m ? rd_kafka_MemberDescription_client_id(m) : "-",
                         m ? rd_kafka_MemberDescription_host(m) : "-", a ? a->cnt : -1,
                         c ? rd_kafka_Node_id(c) : -9);
                ok = !rd_kafka_ConsumerGroupDescription_error(d[0]) &&
                     rd_kafka_ConsumerGroupDescription_state(d[0]) == RD_KAFKA_CONSUMER_GROUP_STATE_STABLE &&
                     !strcmp(rd_kafka_ConsumerGroupDescription_partition_assignor(d[0]), "range") &&
                     rd_kafka_ConsumerGroupDescription_member_count(d[0]) == 1 && m &&
                     !strcmp(rd_kafka_MemberDescription_client_id(m), "c-member") && a && a->cnt >= 2 &&
                     c && rd_kafka_Node_id(c) >= 0 && !rd_kafka_ConsumerGroupDescription_member(d[0], 1);
                check("describe_active_group", ok, why);
                check("describe_unknown_group_is_dead",
                      !rd_kafka_ConsumerGroupDescription_error(d[1]) &&
                          rd_kafka_ConsumerGroupDescription_state(d[1]) == RD_KAFKA_CONSUMER_GROUP_STATE_DEAD &&
                          rd_kafka_ConsumerGroupDescription_member_count(d[1]) == 0,
                      rd_kafka_ConsumerGroupDescription_group_id(d[1]));
        } else
                check("describe_groups", 0, "not 2 descriptions");
        rd_kafka_event_destroy(ev);

        /* DeleteConsumerGroupOffsets: refused for the active group's topic. */
        const char *del_groups[] = {"c-active", "c-empty"};
        for (int i = 0; i < 2; i++) {
                rd_kafka_topic_partition_list_t *l = rd_kafka_topic_partition_list_new(1);
                rd_kafka_topic_partition_list_add(l, topic, 0);
                rd_kafka_DeleteConsumerGroupOffsets_t *dg = rd_kafka_DeleteConsumerGroupOffsets_new(del_groups[i], l);
                rd_kafka_topic_partition_list_destroy(l);
                rd_kafka_DeleteConsumerGroupOffsets(rk, &dg, 1, NULL, q);
                rd_kafka_DeleteConsumerGroupOffsets_destroy(dg);
                ev = wait_result(q, RD_KAFKA_EVENT_DELETECONSUMERGROUPOFFSETS_RESULT);
                g = one_group(ev, RD_KAFKA_EVENT_DELETECONSUMERGROUPOFFSETS_RESULT);
                int e = g ? partition_err(rd_kafka_group_result_partitions(g), 0, NULL) : -2;
                snprintf(why, sizeof(why), "partition 0 err %d", e);
                if (i == 0)
                        check("delete_offsets_subscribed_refused", e == RD_KAFKA_RESP_ERR_GROUP_SUBSCRIBED_TO_TOPIC, why);
                else
                        check("delete_offsets_empty_group", e == 0, why);
                rd_kafka_event_destroy(ev);
        }
        ev = list_offsets(rk, q, "c-empty");
        g = one_group(ev, RD_KAFKA_EVENT_LISTCONSUMERGROUPOFFSETS_RESULT);
        int64_t off1 = 0;
        const rd_kafka_topic_partition_list_t *p = g ? rd_kafka_group_result_partitions(g) : NULL;
        check("deleted_offset_is_gone", g && partition_err(p, 0, NULL) == -1 && partition_err(p, 1, &off1) == 0 && off1 == 7,
              "partition 0 still listed or partition 1 lost");
        rd_kafka_event_destroy(ev);

        /* The legacy rd_kafka_list_groups. */
        const struct rd_kafka_group_list *gl = NULL;
        rd_kafka_resp_err_t err = rd_kafka_list_groups(rk, "c-active", &gl, 20000);
        ok = err == 0 && gl && gl->group_cnt == 1 && !strcmp(gl->groups[0].group, "c-active") &&
             !strcmp(gl->groups[0].state, "Stable") && !strcmp(gl->groups[0].protocol_type, "consumer") &&
             !strcmp(gl->groups[0].protocol, "range") && gl->groups[0].member_cnt == 1 &&
             !strcmp(gl->groups[0].members[0].client_id, "c-member") &&
             gl->groups[0].members[0].member_assignment_size > 0 && gl->groups[0].broker.id >= 0;
        check("list_groups_legacy", ok, rd_kafka_err2name(err));
        if (gl)
                rd_kafka_group_list_destroy(gl);
        err = rd_kafka_list_groups(rk, NULL, &gl, 20000);
        ok = err == 0 && gl && gl->group_cnt >= 2;
        check("list_groups_legacy_all", ok, rd_kafka_err2name(err));
        if (gl)
                rd_kafka_group_list_destroy(gl);

        /* DeleteGroups: only empty groups; duplicates refused locally. */
        rd_kafka_DeleteGroup_t *dels[2] = {rd_kafka_DeleteGroup_new("c-active"), rd_kafka_DeleteGroup_new("c-empty")};
        rd_kafka_DeleteGroups(rk, dels, 2, NULL, q);
        ev = wait_result(q, RD_KAFKA_EVENT_DELETEGROUPS_RESULT);
        size_t cnt = 0;
        const rd_kafka_group_result_t **gr = rd_kafka_DeleteGroups_result_groups(rd_kafka_event_DeleteGroups_result(ev), &cnt);
        ok = cnt == 2 && rd_kafka_group_result_error(gr[0]) &&
             rd_kafka_error_code(rd_kafka_group_result_error(gr[0])) == RD_KAFKA_RESP_ERR_NON_EMPTY_GROUP &&
             !rd_kafka_group_result_error(gr[1]);
        check("delete_groups", ok, "expected NON_EMPTY_GROUP, success");
        rd_kafka_event_destroy(ev);
        rd_kafka_DeleteGroup_destroy(dels[1]);
        dels[1] = rd_kafka_DeleteGroup_new("c-active");
        rd_kafka_DeleteGroups(rk, dels, 2, NULL, q);
        rd_kafka_DeleteGroup_destroy_array(dels, 2);
        ev = wait_result(q, RD_KAFKA_EVENT_DELETEGROUPS_RESULT);
        check("delete_groups_duplicates_refused", rd_kafka_event_error(ev) == RD_KAFKA_RESP_ERR__INVALID_ARG,
              rd_kafka_event_error_string(ev));
        rd_kafka_event_destroy(ev);
}

static void acl_checks(rd_kafka_t *rk, rd_kafka_queue_t *q) {
        char errstr[256], why[256];
        rd_kafka_AclBinding_t *bad = rd_kafka_AclBinding_new(RD_KAFKA_RESOURCE_ANY, "t", RD_KAFKA_RESOURCE_PATTERN_LITERAL,
                                                             "User:a", "*", RD_KAFKA_ACL_OPERATION_READ,
                                                             RD_KAFKA_ACL_PERMISSION_TYPE_ALLOW, errstr, sizeof(errstr));
        check("acl_binding_any_type_refused", !bad && strlen(errstr) > 0, errstr);

        rd_kafka_AclBinding_t *new_acls[2] = {
            rd_kafka_AclBinding_new(RD_KAFKA_RESOURCE_TOPIC, topic, RD_KAFKA_RESOURCE_PATTERN_LITERAL, "User:alice", "*",
                                    RD_KAFKA_ACL_OPERATION_READ, RD_KAFKA_ACL_PERMISSION_TYPE_ALLOW, errstr, sizeof(errstr)),
            rd_kafka_AclBinding_new(RD_KAFKA_RESOURCE_GROUP, "g-", RD_KAFKA_RESOURCE_PATTERN_PREFIXED, "User:bob", "*",
                                    RD_KAFKA_ACL_OPERATION_DESCRIBE, RD_KAFKA_ACL_PERMISSION_TYPE_DENY, errstr,
                                    sizeof(errstr))};
        rd_kafka_CreateAcls(rk, new_acls, 2, NULL, q);
        rd_kafka_AclBinding_destroy_array(new_acls, 2);
        rd_kafka_event_t *ev = wait_result(q, RD_KAFKA_EVENT_CREATEACLS_RESULT);
        size_t n = 0;
        const rd_kafka_acl_result_t **res = rd_kafka_CreateAcls_result_acls(rd_kafka_event_CreateAcls_result(ev), &n);
        check("create_acls", n == 2 && !rd_kafka_acl_result_error(res[0]) && !rd_kafka_acl_result_error(res[1]),
              rd_kafka_event_error_string(ev));
        rd_kafka_event_destroy(ev);

        rd_kafka_AclBindingFilter_t *any =
            rd_kafka_AclBindingFilter_new(RD_KAFKA_RESOURCE_ANY, NULL, RD_KAFKA_RESOURCE_PATTERN_ANY, NULL, NULL,
                                          RD_KAFKA_ACL_OPERATION_ANY, RD_KAFKA_ACL_PERMISSION_TYPE_ANY, errstr,
                                          sizeof(errstr));
        rd_kafka_DescribeAcls(rk, any, NULL, q);
        ev = wait_result(q, RD_KAFKA_EVENT_DESCRIBEACLS_RESULT);
        const rd_kafka_AclBinding_t **acls = rd_kafka_DescribeAcls_result_acls(rd_kafka_event_DescribeAcls_result(ev), &n);
        int found = 0;
        for (size_t i = 0; i < n; i++)
                found += !strcmp(rd_kafka_AclBinding_name(acls[i]), "g-") &&
                         rd_kafka_AclBinding_restype(acls[i]) == RD_KAFKA_RESOURCE_GROUP &&
                         rd_kafka_AclBinding_resource_pattern_type(acls[i]) == RD_KAFKA_RESOURCE_PATTERN_PREFIXED &&
                         !strcmp(rd_kafka_AclBinding_principal(acls[i]), "User:bob") &&
                         rd_kafka_AclBinding_operation(acls[i]) == RD_KAFKA_ACL_OPERATION_DESCRIBE &&
                         rd_kafka_AclBinding_permission_type(acls[i]) == RD_KAFKA_ACL_PERMISSION_TYPE_DENY;
        snprintf(why, sizeof(why), "%zu acls, %d matching", n, found);
        check("describe_acls", n == 2 && found == 1, why);
        rd_kafka_event_destroy(ev);

        rd_kafka_AclBindingFilter_t *alice =
            rd_kafka_AclBindingFilter_new(RD_KAFKA_RESOURCE_ANY, NULL, RD_KAFKA_RESOURCE_PATTERN_ANY, "User:alice", NULL,
                                          RD_KAFKA_ACL_OPERATION_ANY, RD_KAFKA_ACL_PERMISSION_TYPE_ANY, errstr,
                                          sizeof(errstr));
        rd_kafka_DeleteAcls(rk, &alice, 1, NULL, q);
        rd_kafka_AclBinding_destroy(alice);
        ev = wait_result(q, RD_KAFKA_EVENT_DELETEACLS_RESULT);
        const rd_kafka_DeleteAcls_result_response_t **resp =
            rd_kafka_DeleteAcls_result_responses(rd_kafka_event_DeleteAcls_result(ev), &n);
        size_t m = 0;
        const rd_kafka_AclBinding_t **matching = n == 1 ? rd_kafka_DeleteAcls_result_response_matching_acls(resp[0], &m) : NULL;
        check("delete_acls", n == 1 && !rd_kafka_DeleteAcls_result_response_error(resp[0]) && m == 1 &&
                                 !strcmp(rd_kafka_AclBinding_principal(matching[0]), "User:alice") &&
                                 !rd_kafka_AclBinding_error(matching[0]),
              "expected alice's binding");
        rd_kafka_event_destroy(ev);

        rd_kafka_DescribeAcls(rk, any, NULL, q);
        rd_kafka_AclBinding_destroy(any);
        ev = wait_result(q, RD_KAFKA_EVENT_DESCRIBEACLS_RESULT);
        rd_kafka_DescribeAcls_result_acls(rd_kafka_event_DescribeAcls_result(ev), &n);
        check("describe_acls_after_delete", n == 1, "expected 1 binding");
        rd_kafka_event_destroy(ev);

        check("enum_names",
              !strcmp(rd_kafka_AclOperation_name(RD_KAFKA_ACL_OPERATION_IDEMPOTENT_WRITE), "IDEMPOTENT_WRITE") &&
                  !strcmp(rd_kafka_AclPermissionType_name(RD_KAFKA_ACL_PERMISSION_TYPE_DENY), "DENY") &&
                  !strcmp(rd_kafka_ResourcePatternType_name(RD_KAFKA_RESOURCE_PATTERN_MATCH), "MATCH") &&
                  !strcmp(rd_kafka_consumer_group_state_name(RD_KAFKA_CONSUMER_GROUP_STATE_COMPLETING_REBALANCE),
                          "CompletingRebalance") &&
                  rd_kafka_consumer_group_state_code("stable") == RD_KAFKA_CONSUMER_GROUP_STATE_STABLE &&
                  rd_kafka_consumer_group_state_code("nope") == RD_KAFKA_CONSUMER_GROUP_STATE_UNKNOWN,
              "a name differs");
}

int main(int argc, char **argv) {
        char errstr[512];
        if (argc < 3) {
                fprintf(stderr, "usage: %s BOOTSTRAP TOPIC [offsets-only]\n", argv[0]);
                return 2;
        }
        topic = argv[2];
        int offsets_only = argc > 3 && !strcmp(argv[3], "offsets-only");
        name_partitions = offsets_only;
        printf("version %s\n", rd_kafka_version_str());

        rd_kafka_conf_t *conf = rd_kafka_conf_new();
        rd_kafka_conf_set(conf, "bootstrap.servers", argv[1], errstr, sizeof(errstr));
        rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof(errstr));
        if (!rk) {
                fprintf(stderr, "%s\n", errstr);
                return 2;
        }
        rd_kafka_queue_t *q = rd_kafka_queue_new(rk);

        rd_kafka_t *member = NULL;
        if (!offsets_only) {
                rd_kafka_conf_t *cc = rd_kafka_conf_new();
                rd_kafka_conf_set(cc, "bootstrap.servers", argv[1], errstr, sizeof(errstr));
                rd_kafka_conf_set(cc, "group.id", "c-active", errstr, sizeof(errstr));
                rd_kafka_conf_set(cc, "client.id", "c-member", errstr, sizeof(errstr));
                member = rd_kafka_new(RD_KAFKA_CONSUMER, cc, errstr, sizeof(errstr));
                rd_kafka_poll_set_consumer(member);
                rd_kafka_topic_partition_list_t *sub = rd_kafka_topic_partition_list_new(1);
                rd_kafka_topic_partition_list_add(sub, topic, RD_KAFKA_PARTITION_UA);
                rd_kafka_subscribe(member, sub);
                rd_kafka_topic_partition_list_destroy(sub);
                rd_kafka_topic_partition_list_t *assigned = NULL;
                for (int i = 0; i < 300; i++) {
                        rd_kafka_message_t *msg = rd_kafka_consumer_poll(member, 100);
                        if (msg)
                                rd_kafka_message_destroy(msg);
                        if (assigned)
                                rd_kafka_topic_partition_list_destroy(assigned);
                        assigned = NULL;
                        rd_kafka_assignment(member, &assigned);
                        if (assigned && assigned->cnt > 0)
                                break;
                }
                check("member_joined", assigned && assigned->cnt > 0, "no assignment");
                if (assigned)
                        rd_kafka_topic_partition_list_destroy(assigned);
        }

        offsets_checks(rk, q);
        if (!offsets_only) {
                group_checks(rk, q);
                acl_checks(rk, q);
                rd_kafka_consumer_close(member);
                rd_kafka_destroy(member);
        }
        rd_kafka_queue_destroy(q);
        rd_kafka_destroy(rk);
        printf("DONE %d\n", failures);
        return failures ? 1 : 0;
}
