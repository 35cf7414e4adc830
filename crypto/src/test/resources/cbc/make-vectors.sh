#!/usr/bin/env bash
# Builds cbc-records.txt: DTLS 1.2 CBC records made with the OpenSSL CLI alone (`openssl enc` for
# AES-CBC without padding, `openssl mac` for HMAC), following RFC 5246 §6.2.3.2 and RFC 7366 §3 by hand,
# so the vectors owe nothing to dtls4j's or Bouncy Castle's record code. Deterministic: keys, IVs and
# contents come from SHA-256 of labels. Run: bash make-vectors.sh > cbc-records.txt
set -euo pipefail

hex() { openssl dgst -sha256 -hex <<<"$1" | sed 's/.*= //'; }      # 32 bytes of hex from a label
take() { local h=""; local i=0; while [ ${#h} -lt $(( $2 * 2 )) ]; do h+=$(hex "$1.$i"); i=$((i+1)); done; echo "${h:0:$(( $2 * 2 ))}"; }
u16() { printf '%04x' "$1"; }
hmac() { xxd -r -p <<<"$3" | openssl mac -digest "$1" -macopt hexkey:"$2" HMAC | tr 'A-F' 'a-f'; }
aes() { xxd -r -p <<<"$4" | openssl enc -"$1" -K "$2" -iv "$3" -nopad | xxd -p | tr -d '\n'; }

echo "# mac mode enc_key mac_key seq64 type iv content record   (built by make-vectors.sh with $(openssl version | cut -d' ' -f1-2))"
for spec in "SHA1 20 aes-128-cbc 16" "SHA256 32 aes-128-cbc 16" "SHA384 48 aes-256-cbc 32" "SHA1 20 aes-256-cbc 32"; do
  set -- $spec; md=$1; maclen=$2; alg=$3; keylen=$4
  for mode in mte etm; do
    for len in 0 1 15 16 47 100; do
      for extra in 0 1 15; do                  # extra 16-byte padding blocks beyond the minimum
        label="$md.$alg.$mode.$len.$extra"
        key=$(take "$label.key" "$keylen"); mackey=$(take "$label.mac" "$maclen"); iv=$(take "$label.iv" 16)
        content=$(take "$label.content" "$len"); seq=$(take "$label.seq" 8); seq="0001${seq:4:12}"; type=17
        if [ "$mode" = mte ]; then
          mac=$(hmac "$md" "$mackey" "$seq${type}fefd$(u16 "$len")$content"); body="$content$mac"
        else body="$content"; fi
        blen=$(( ${#body} / 2 )); pad=$(( 15 - blen % 16 + 16 * extra ))
        [ "$pad" -gt 255 ] && continue
        padding=$(for ((i=0;i<=pad;i++)); do printf '%02x' "$pad"; done)
        ct=$(aes "$alg" "$key" "$iv" "$body$padding")
        if [ "$mode" = mte ]; then record="$iv$ct"
        else record="$iv$ct$(hmac "$md" "$mackey" "$seq${type}fefd$(u16 $(( 16 + ${#ct} / 2 )))$iv$ct")"; fi
        echo "$md $mode $key $mackey $seq $type $iv ${content:--} $record"
      done
    done
  done
done
