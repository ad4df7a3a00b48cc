#!/bin/sh
# Regenerates the test-only certificates in this folder (run once; the PEMs are committed).
# EC P-256 keys keep the files small. "Valid" certificates last 100 years; the expired one
# was valid only during 2000. NEVER use these outside tests: the private keys are public.
set -eu
cd "$(dirname "$0")"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
key() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1"; }

# Test CA (the "custom CA" that makes the valid leaf trusted).
key ca-key.pem
openssl req -x509 -new -key ca-key.pem -sha256 -days 36500 -subj "/CN=Upstate Test CA" \
  -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" -out ca.pem

# Leaf signed by the CA; $1 name, $2 CN, $3 SAN list; $4.. extra `openssl ca` date options.
leaf() {
  name=$1 cn=$2 san=$3; shift 3
  key "$name-key.pem"
  openssl req -new -key "$name-key.pem" -subj "/CN=$cn" -out "$work/$name.csr"
  printf 'subjectAltName=%s\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n' "$san" > "$work/$name.ext"
  : > "$work/index.txt"
  cat > "$work/ca.cnf" <<CNF
[ca]
default_ca = test
[test]
database = $work/index.txt
new_certs_dir = $work
serial = $work/serial
default_md = sha256
policy = any
copy_extensions = none
[any]
commonName = supplied
CNF
  openssl rand -hex 8 > "$work/serial"
  openssl ca -batch -config "$work/ca.cnf" -cert ca.pem -keyfile ca-key.pem -in "$work/$name.csr" \
    -extfile "$work/$name.ext" -notext -out "$name.pem" "$@" 2>/dev/null
}
leaf valid localhost "DNS:localhost,IP:127.0.0.1,IP:::1" -days 36500
leaf expired localhost "DNS:localhost,IP:127.0.0.1,IP:::1" -startdate 20000101000000Z -enddate 20001231000000Z
leaf wrong-host wrong.example "DNS:wrong.example" -days 36500

# Self-signed leaf for localhost (no CA trusts it).
key self-signed-key.pem
openssl req -x509 -new -key self-signed-key.pem -sha256 -days 36500 -subj "/CN=localhost" \
  -addext "subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1" -out self-signed.pem
