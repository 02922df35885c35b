package openapi

// BulkRequest is the body of createUsersBulk.
type BulkRequest struct {
	Params []UserCreate `json:"params"`
}

// UserCreate is one user to create.
type UserCreate struct {
	LoginID     string            `json:"loginId"`
	Description *string           `json:"description,omitempty"`
	UserProfile *UserProfile      `json:"userProfile,omitempty"`
	AccessRules AccessRules       `json:"accessRules"`
	Tags        map[string]string `json:"tags,omitempty"`
}

// UserProfile holds the optional profile of a user.
type UserProfile struct {
	FirstName        *string `json:"firstName,omitempty"`
	LastName         *string `json:"lastName,omitempty"`
	Email            *string `json:"email,omitempty"`
	EmpNo            *string `json:"empNo,omitempty"`
	PhoneCountryCode *string `json:"phoneCountryCode,omitempty"`
	PhoneNo          *string `json:"phoneNo,omitempty"`
	DeptName         *string `json:"deptName,omitempty"`
}

// AccessRules says what a user may reach.
type AccessRules struct {
	ConsoleAccessAllowed bool `json:"consoleAccessAllowed"`
	APIAccessAllowed     bool `json:"apiAccessAllowed"`
}

// UserResult is one element of the 200 answer: the outcome for one user.
type UserResult struct {
	ID      string `json:"id,omitempty"`
	NRN     string `json:"nrn,omitempty"`
	Name    string `json:"name"`
	Success bool   `json:"success"`
	Message string `json:"message"`
}

// ErrorResponse is the service's 400 body. FieldErrors is ncpmock's own
// addition; the real service is not known to send it.
type ErrorResponse struct {
	ErrorCode   int       `json:"errorCode"`
	Message     string    `json:"message"`
	FieldErrors []Problem `json:"fieldErrors,omitempty"`
}

// GatewayError is the body of an API Gateway error.
type GatewayError struct {
	Error GatewayErrorDetail `json:"error"`
}

// GatewayErrorDetail is the content of a GatewayError.
type GatewayErrorDetail struct {
	ErrorCode string `json:"errorCode"`
	Message   string `json:"message"`
	Details   string `json:"details,omitempty"`
}
