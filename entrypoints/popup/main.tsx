import { render } from 'preact';

function Popup() {
  return <main>Attaché</main>;
}

render(<Popup />, document.getElementById('app')!);
