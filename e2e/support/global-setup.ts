import setup from "../../tests/helpers/global-setup";

/** The browser tests run against the built server: build once if missing (npm test always builds first). */
export default function globalSetup() {
  setup();
}
