package contracttest

// Names of the checks, as failures and reports name them. The first six are
// Schemathesis' names for the same checks.
const (
	// CheckNotAServerError fails on any 5xx answer.
	CheckNotAServerError = "not_a_server_error"
	// CheckStatusCodeConformance fails on a status the spec does not declare.
	CheckStatusCodeConformance = "status_code_conformance"
	// CheckContentTypeConformance fails on a Content-Type the spec does not
	// declare for the status.
	CheckContentTypeConformance = "content_type_conformance"
	// CheckResponseSchemaConformance fails on a body or header that does not
	// match the schema declared for the status.
	CheckResponseSchemaConformance = "response_schema_conformance"
	// CheckNegativeDataRejection fails when an invalid request is not
	// answered 400 with an ErrorResponse.
	CheckNegativeDataRejection = "negative_data_rejection"
	// CheckPositiveDataAcceptance fails when a valid request of new users is
	// not answered 200 with every user created.
	CheckPositiveDataAcceptance = "positive_data_acceptance"

	// CheckResponseReceived fails when no answer arrives: a timeout, a reset
	// or a malformed HTTP response.
	CheckResponseReceived = "response_received"
	// CheckResponseTime fails on an answer slower than Config.MaxResponseTime.
	CheckResponseTime = "response_time"
	// CheckResultPerUser fails unless a 200 answer has exactly one result per
	// requested user, in request order, whose name is the login ID and whose
	// success is a boolean.
	CheckResultPerUser = "result_per_user"
	// CheckUserIDFormat fails when a created user's id is not a UUID.
	CheckUserIDFormat = "user_id_format"
	// CheckNRNFormat fails when a created user's nrn is not
	// nrn:<PUB|GOV>:SSO::<memberNo>:User/<id> with the same id.
	CheckNRNFormat = "nrn_format"
	// CheckUniqueIDs fails when two created users share an id.
	CheckUniqueIDs = "unique_ids"
	// CheckDuplicateRejected fails when a login ID created earlier is created
	// again, or its failure has no message.
	CheckDuplicateRejected = "duplicate_rejected"
	// CheckFieldErrorNamed fails when a 400 lists fieldErrors (ncpmock's own
	// addition) that do not name the field and rule the case broke.
	CheckFieldErrorNamed = "field_error_named"
	// CheckDuplicateInBatch fails when a login ID repeated within one batch is
	// created twice, or the other users of the batch are not created.
	CheckDuplicateInBatch = "duplicate_in_batch"
	// CheckErrorCode fails when the code of an error answer does not match
	// its status: a 400 ErrorResponse must have errorCode 400, and an API
	// Gateway error {"error":{"errorCode":...}} a code the gateway table
	// gives its status (401: "200" or "210", 404: "300", 413: "430", 429:
	// "400", "410" or "420", 500: "900", 503: "500", 504: "510").
	CheckErrorCode = "error_code"
	// CheckAuthEnforced fails when a request without signature headers, or
	// signed with a wrong secret key or a stale timestamp, is not refused
	// with the API Gateway's 401 {"error":{"errorCode":"200",...}}
	// (Authentication Failed).
	CheckAuthEnforced = "auth_enforced"
)

// Checks lists every check name, in the order of the constants.
func Checks() []string {
	return []string{
		CheckNotAServerError, CheckStatusCodeConformance, CheckContentTypeConformance,
		CheckResponseSchemaConformance, CheckNegativeDataRejection, CheckPositiveDataAcceptance,
		CheckResponseReceived, CheckResponseTime, CheckResultPerUser, CheckUserIDFormat,
		CheckNRNFormat, CheckUniqueIDs, CheckDuplicateRejected, CheckDuplicateInBatch, CheckFieldErrorNamed,
		CheckErrorCode, CheckAuthEnforced,
	}
}
