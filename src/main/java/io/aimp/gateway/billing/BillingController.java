package io.aimp.gateway.billing;

import io.aimp.gateway.auth.Principal;
import java.time.Instant;
import java.util.Map;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/** {@code /api/billing}: the wallet, top-ups, the ledger and the usage summary. */
@RestController
@RequestMapping("/api/billing")
class BillingController {

    private final BillingService billing;

    BillingController(BillingService billing) {
        this.billing = billing;
    }

    @GetMapping("/wallet")
    Map<String, Object> wallet(Principal principal) {
        return billing.wallet(principal);
    }

    @PostMapping("/wallet/credits")
    ResponseEntity<Object> addCredits(Principal principal, @RequestBody JsonNode body,
                                      @RequestHeader(name = "Idempotency-Key", required = false) String idempotencyKey) {
        if (body == null || !body.isObject()) {
            throw io.aimp.gateway.common.GatewayException.invalid("invalid_body", "send a JSON object {amount, reason}");
        }
        for (String name : body.propertyNames()) {
            if (!name.equals("amount") && !name.equals("reason")) {
                throw io.aimp.gateway.common.GatewayException.invalidField("unknown_field", "$." + name.replaceAll("[^A-Za-z0-9_]", "?"),
                        "unknown field; send amount and reason");
            }
        }
        BillingService.TopUp topUp = billing.addCredits(principal, body, idempotencyKey);
        var answer = ResponseEntity.ok();
        if (topUp.replayed()) {
            answer.header("Idempotent-Replayed", "true");
        }
        return answer.body(topUp.body());
    }

    @GetMapping("/ledger")
    Map<String, Object> ledger(Principal principal, @RequestParam(defaultValue = "20") int limit,
                               @RequestParam(defaultValue = "0") int offset) {
        return billing.ledger(principal, limit, offset);
    }

    @GetMapping("/usage/summary")
    Map<String, Object> usageSummary(Principal principal, @RequestParam(required = false) Instant from,
                                     @RequestParam(required = false) Instant to,
                                     @RequestParam(name = "group_by", required = false) String groupBy) {
        return billing.usageSummary(principal, from == null ? null : from.toEpochMilli(),
                to == null ? null : to.toEpochMilli(), groupBy);
    }
}
