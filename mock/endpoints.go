package mock

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

func (s *Server) health(c echo.Context) error {
	return c.JSON(http.StatusOK, map[string]string{"status": "ok"})
}

// adminUsersResponse is the body of GET /__admin/users.
type adminUsersResponse struct {
	Count int    `json:"count"`
	Users []User `json:"users"`
}

func (s *Server) adminUsers(c echo.Context) error {
	users, err := s.Users(c.Request().Context())
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, adminUsersResponse{Count: len(users), Users: users})
}

func (s *Server) adminReset(c echo.Context) error {
	if err := s.Reset(c.Request().Context()); err != nil {
		return err
	}
	c.Set(ctxAdminChange, "reset: users, journal and rules as at start")
	return c.JSON(http.StatusOK, map[string]string{"status": "reset"})
}
