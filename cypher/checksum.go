package cypher

import (
	"crypto/sha256"
	"encoding/hex"
)

func checksum(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}
