/** Wire codecs, alerts and the project exception shared by every layer. */
package org.dtls4j.wire;
